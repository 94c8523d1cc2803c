package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.memory.MemoryBroker;
import io.tasque.broker.Delivery;
import io.tasque.broker.OutgoingJob;
import io.tasque.broker.QueueStats;
import io.tasque.broker.Reservation;
import io.tasque.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The acker on an in-memory broker: it sends acks itself while the fetch lanes wait, hands them to a lane's
 * reserve call while they are active, and tells each job's callback whether its lease was still held, or that the
 * ack could not be sent.
 */
class AckerTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final String uri = "memory://acker-" + UUID.randomUUID();
    private final ManualClock clock = ManualClock.startingNow();
    private final MemoryBroker broker = (MemoryBroker) Brokers.open(uri, BrokerOptions.builder().clock(clock).build());
    private final BrokerHealth health = new BrokerHealth(broker.describe(), Clock.systemUTC());
    /** Each job's ack result as its callback heard it; absent until then. */
    private final Map<String, String> results = new ConcurrentHashMap<>();
    private Acker acker;

    @AfterEach
    void stop() {
        if (acker != null) {
            acker.stop(Duration.ofSeconds(5));
        }
        broker.close();
    }

    private Acker acker(Broker on, Duration patience) {
        acker = new Acker(on, new BrokerRetry(patience, health), health);
        return acker;
    }

    private List<Delivery> lease(String... ids) {
        for (String id : ids) {
            broker.enqueue(List.of(new OutgoingJob("q", id, id.getBytes(StandardCharsets.UTF_8), 0)));
        }
        return broker.reserve(List.of("q"), ids.length, LEASE).deliveries();
    }

    private void ack(Delivery d) {
        acker.ack(d, (job, acked) -> results.put(job.id(), String.valueOf(acked)));
    }

    @Test
    void whileTheFetchLanesWaitTheAckerSendsTheAcksItself() {
        acker(broker, LEASE).start();
        acker.lanesActive(false);
        List<Delivery> leased = lease("a", "b");
        leased.forEach(this::ack);

        await().atMost(WAIT).until(() -> results.size() == 2);
        assertEquals(Map.of("a", "true", "b", "true"), results);
        assertEquals(new QueueStats("q", 0, 0, 0, 0), broker.stats("q"), "both jobs are gone for good");
    }

    @Test
    void anAckWhoseLeasePassedToAnotherRunIsReportedNotHeld() {
        acker(broker, LEASE).start();
        Delivery stale = lease("a").get(0);
        clock.advance(LEASE.plusSeconds(1));
        broker.housekeep(List.of("q"));
        Delivery fresh = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        ack(stale);

        await().atMost(WAIT).until(() -> results.containsKey("a"));
        assertEquals("false", results.get("a"));
        assertEquals(new QueueStats("q", 0, 0, 1, 0), broker.stats("q"), "the new run still holds the job");
        assertArrayEquals(new boolean[] {true}, broker.ack(List.of(fresh)));
    }

    @Test
    void aFetchLaneTakesWaitingAcksAndSettlesThemWithItsReserveCall() {
        acker(broker, LEASE); // its thread is not started: only a lane's hand-over settles the acks
        acker.lanesActive(true);
        List<Delivery> leased = lease("a", "b");
        broker.enqueue(List.of(new OutgoingJob("q", "c", new byte[] {1}, 0)));
        leased.forEach(this::ack);

        List<Acker.Pending> taken = acker.take();
        assertEquals(2, taken.size());
        Reservation r = broker.reserve(List.of("q"), 1, LEASE, taken.stream().map(Acker.Pending::delivery).toList());
        acker.settled(taken, r.acked());

        assertEquals(Map.of("a", "true", "b", "true"), results);
        assertEquals("c", r.deliveries().get(0).id());
        assertEquals(List.of(), acker.take(), "nothing is left to send");
    }

    @Test
    void anAckThatCannotBeSentTellsItsCallbackSoTheJobRunsAgainLater() {
        Broker closed = Brokers.open(uri, BrokerOptions.builder().clock(clock).build());
        closed.close();
        acker(closed, Duration.ofMillis(1)).start();
        ack(lease("a").get(0));

        await().atMost(WAIT).until(() -> results.containsKey("a"));
        assertEquals("null", results.get("a"), "the callback hears the ack was not sent");
        assertEquals(new QueueStats("q", 0, 0, 1, 0), broker.stats("q"), "the job stays leased until its lease runs out");
    }
}
