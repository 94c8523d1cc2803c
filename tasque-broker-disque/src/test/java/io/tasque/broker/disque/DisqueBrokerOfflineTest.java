package io.tasque.broker.disque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.Brokers;
import io.tasque.broker.OutgoingJob;
import io.tasque.client.TasqueClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** What the Disque broker does without any Disque: how it is chosen, what it refuses, how it fails. */
class DisqueBrokerOfflineTest {

    private static final BrokerOptions QUICK = BrokerOptions.builder()
            .commandTimeout(Duration.ofMillis(500)).connectTimeout(Duration.ofMillis(500)).build();

    @Test
    void aDisqueUriOpensTheDisqueBrokerWithGoTasquesCodec() {
        try (Broker b = Brokers.open("disque://127.0.0.1:7711,127.0.0.1:7712", BrokerOptions.defaults())) {
            assertInstanceOf(DisqueBroker.class, b);
            assertInstanceOf(GoTasqueCodec.class, b.codec(1024));
            assertTrue(b.describe().equals("disque://127.0.0.1:7711,127.0.0.1:7712"), b.describe());
        }
    }

    @Test
    void aJobWithACallerChosenIdIsRefusedNamingTheIdBeforeAnythingIsSent() {
        // nothing listens on the address: a refusal that tried to reach Disque would be a BrokerException instead
        try (Broker b = new DisqueBroker(BrokerUri.parse("disque://127.0.0.1:1"), QUICK)) {
            OutgoingJob chosen = new OutgoingJob("orders", "order-42", new byte[] {1}, 0, 86_400_000L);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.enqueue(List.of(new OutgoingJob("orders", "made-1", new byte[] {1}, 0), chosen)));
            assertTrue(e.getMessage().contains("'order-42'"), e.getMessage());
            assertTrue(e.getMessage().contains("Disque assigns every job its own id"), e.getMessage());
        }
    }

    @Test
    void aCancelIsRefusedSayingTheBrokerCannotCancel() {
        // nothing listens on the address: the refusal comes before anything is sent
        try (TasqueClient client = TasqueClient.builder().broker("disque://127.0.0.1:1").brokerOptions(QUICK).build()) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> client.cancel("orders", "id-1"));
            assertTrue(e.getMessage().contains("disque://127.0.0.1:1") && e.getMessage().contains("cannot cancel jobs"), e.getMessage());
        }
    }

    @Test
    void schedulesAreRefusedSayingTheBrokerCannotStoreThem() {
        // nothing listens on the address: the refusal comes before anything is sent
        try (TasqueClient client = TasqueClient.builder().broker("disque://127.0.0.1:1").brokerOptions(QUICK).build()) {
            Task template = Task.of("report");
            for (Executable call : List.<Executable>of(
                    () -> client.schedule("nightly", "0 2 * * *", template),
                    () -> client.scheduleEvery("often", Duration.ofSeconds(10), template),
                    () -> client.unschedule("nightly"),
                    () -> client.admin().schedules())) {
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, call);
                assertEquals("the broker disque://127.0.0.1:1 cannot store schedules", e.getMessage());
            }
        }
    }

    @Test
    void aUserInTheUriIsRefusedBecauseDisqueAuthTakesAPasswordOnly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DisqueBroker(BrokerUri.parse("disque://admin:secret@127.0.0.1:7711"), QUICK));
        assertTrue(e.getMessage().contains("disque://:password@host:7711"), e.getMessage());
        assertTrue(!e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void anUnreachableServerFailsWithinTheTimeoutNamingTheBroker() {
        try (Broker dead = new DisqueBroker(BrokerUri.parse("disque://127.0.0.1:1"), QUICK)) {
            long start = System.nanoTime();
            BrokerException e = assertThrows(BrokerException.class,
                    () -> dead.enqueue(List.of(new OutgoingJob("q", "a", new byte[] {1}, 0))));
            assertTrue(System.nanoTime() - start < 2_000_000_000L);
            assertTrue(e.getMessage().startsWith("disque://127.0.0.1:1: "), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
        }
    }

    @Test
    void everySeedIsTriedBeforeGivingUp() {
        try (Broker dead = new DisqueBroker(BrokerUri.parse("disque://127.0.0.1:1,127.0.0.1:2"), QUICK)) {
            BrokerException e = assertThrows(BrokerException.class, dead::ping);
            assertTrue(e.getMessage().contains("127.0.0.1:1") && e.getMessage().contains("127.0.0.1:2"), e.getMessage());
        }
    }
}
