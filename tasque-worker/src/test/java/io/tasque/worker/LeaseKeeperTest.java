package io.tasque.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.memory.MemoryBroker;
import io.tasque.broker.Delivery;
import io.tasque.broker.OutgoingJob;
import io.tasque.broker.QueueStats;
import io.tasque.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat on an in-memory broker and a manual clock: a running job's lease is renewed past its first
 * deadline, a job past its handler timeout is not renewed, and a lease that passed to another run is marked lost.
 */
class LeaseKeeperTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private final ManualClock clock = ManualClock.startingNow();
    private final MemoryBroker broker = (MemoryBroker) Brokers.open("memory://lease-keeper-" + UUID.randomUUID(), BrokerOptions.builder().clock(clock).build());
    private final InFlight inFlight = new InFlight();
    private final WorkerConfig config = Worker.builder().broker(broker).clock(clock).lease(LEASE).shutdownHook(false)
            .handle("q", task -> { }).config();
    private final LeaseKeeper keeper = new LeaseKeeper(config, broker, inFlight, new BrokerHealth(broker.describe(), clock));

    @AfterEach
    void close() {
        keeper.stop(Duration.ofSeconds(5));
        broker.close();
    }

    /** Leases one job and records it as running on this thread until {@code handlerDeadline} (epoch ms). */
    private InFlight.Run running(long handlerDeadline) {
        broker.enqueue(List.of(new OutgoingJob("q", "a", new byte[] {1}, 0)));
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        InFlight.Run run = inFlight.add(d);
        assertTrue(run.start(Thread.currentThread(), handlerDeadline));
        return run;
    }

    @Test
    void aLongRunningJobsLeaseIsRenewedPastItsFirstDeadline() {
        InFlight.Run run = running(Long.MAX_VALUE);
        clock.advance(Duration.ofSeconds(20));
        keeper.renew();
        clock.advance(Duration.ofSeconds(20)); // 40 s after the lease began: past its first deadline

        assertEquals(0, broker.housekeep(List.of("q")).reclaimed(), "the renewed lease has not run out");
        assertEquals(new QueueStats("q", 0, 0, 1, 0), broker.stats("q"));
        assertFalse(run.leaseLost());
        assertArrayEquals(new boolean[] {true}, broker.ack(List.of(run.delivery)));
    }

    @Test
    void aJobPastItsHandlerTimeoutIsNotRenewed() {
        InFlight.Run run = running(clock.millis() + 10_000);
        clock.advance(Duration.ofSeconds(20)); // past the handler's timeout, within the lease
        keeper.renew();
        clock.advance(Duration.ofSeconds(11)); // 31 s after the lease began

        assertEquals(1, broker.housekeep(List.of("q")).reclaimed(), "the lease ran out at its first deadline");
        assertEquals(new QueueStats("q", 1, 0, 0, 0), broker.stats("q"));
        assertFalse(broker.ack(List.of(run.delivery))[0]);
    }

    @Test
    void aLeaseThatPassedToAnotherRunIsMarkedLost() {
        InFlight.Run run = running(Long.MAX_VALUE);
        clock.advance(LEASE.plusSeconds(1));
        broker.housekeep(List.of("q"));
        Delivery other = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        keeper.renew();

        assertTrue(run.leaseLost());
        assertEquals(2, other.attempt());
        assertArrayEquals(new boolean[] {true}, broker.ack(List.of(other)), "the other run still holds it");
    }
}
