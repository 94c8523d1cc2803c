package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.Delivery;
import io.tasque.broker.OutgoingJob;
import io.tasque.broker.QueueHold;
import io.tasque.broker.QueueLimit;
import io.tasque.broker.Reservation;
import io.tasque.codec.Envelope;
import io.tasque.codec.EnvelopeCodec;
import io.tasque.testkit.ManualClock;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Leasing within limits on a real Redis ({@code reserve.lua} with ARGV[7]): rates, per-param rates, caps, quotas. */
@WithRedis
class RedisLimitsTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(1 << 20);

    private final RedisServer redis;
    private final ManualClock clock = ManualClock.startingNow();
    private final RedisBroker broker;

    RedisLimitsTest(RedisServer redis) {
        this.redis = redis;
        this.broker = new RedisBroker(BrokerUri.parse(redis.uri()), BrokerOptions.builder().clock(clock).build());
    }

    @AfterEach
    void close() {
        broker.close();
    }

    private static OutgoingJob job(String queue, String id, Map<String, Object> params) {
        return new OutgoingJob(queue, id, CODEC.encode(new Envelope(id, queue, params, 0, 0, Map.of())), 0);
    }

    private List<OutgoingJob> jobs(String queue, int n) {
        List<OutgoingJob> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(job(queue, queue + "-" + i, Map.of()));
        }
        return out;
    }

    private Reservation reserve(List<String> queues, int max, QueueLimit... limits) {
        return broker.reserve(queues, max, LEASE, List.of(), List.of(limits));
    }

    private static List<String> ids(Reservation r) {
        return r.deliveries().stream().map(Delivery::id).toList();
    }

    @Test
    void aRateStartsOneJobPerIntervalAndHoldsTheQueueUntilTheNext() {
        broker.enqueueNew(jobs("q", 5));
        QueueLimit rate = new QueueLimit("q", 100_000, null, 0, -1); // one start every 100 ms
        Reservation first = reserve(List.of("q"), 10, rate);
        assertEquals(List.of("q-0"), ids(first), "no burst: one job however many slots are free");
        Reservation held = reserve(List.of("q"), 10, rate);
        assertEquals(List.of(), ids(held));
        assertEquals(List.of(new QueueHold("q", clock.millis() + 100)), held.holds());
        assertEquals("0", redis.command("LLEN", "tasque:{q}:wake"), "a held queue leaves no wake token to spin on");
        clock.advance(Duration.ofMillis(99));
        assertEquals(List.of(), ids(reserve(List.of("q"), 10, rate)));
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of("q-1"), ids(reserve(List.of("q"), 10, rate)));
        assertEquals(3, broker.stats("q").ready(), "held jobs stay ready: not failed, no attempt used");
    }

    @Test
    void aRateByParamKeepsValuesApartAndAHeldJobWaitsForItsValuesNextStart() {
        broker.enqueueNew(List.of(job("q", "a1", Map.of("host", "a")), job("q", "a2", Map.of("host", "a")),
                job("q", "b1", Map.of("host", "b")), job("q", "a3", Map.of("host", "a")), job("q", "none", Map.of())));
        QueueLimit byHost = new QueueLimit("q", 1_000_000, "host", 0, -1); // one start a second per host
        long now = clock.millis();
        Reservation r = reserve(List.of("q"), 10, byHost);
        assertEquals(List.of("a1", "b1", "none"), ids(r), "one job per host, the other host not held back by the first");
        assertEquals(Double.valueOf(now + 1000), Double.valueOf(redis.command("ZSCORE", "tasque:{q}:delayed", "a2")));
        assertEquals(Double.valueOf(now + 1000), Double.valueOf(redis.command("ZSCORE", "tasque:{q}:delayed", "a3")));
        clock.advance(Duration.ofMillis(999));
        assertEquals(List.of(), ids(reserve(List.of("q"), 10, byHost)));
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of("a2"), ids(reserve(List.of("q"), 10, byHost)), "one of the two waiting, the other waits on");
        assertEquals(Double.valueOf(now + 2000), Double.valueOf(redis.command("ZSCORE", "tasque:{q}:delayed", "a3")));
        clock.advance(Duration.ofMillis(1000));
        Reservation last = reserve(List.of("q"), 10, byHost);
        assertEquals(List.of("a3"), ids(last));
        assertEquals(1, last.deliveries().get(0).attempt(), "waiting for a start time is not an attempt");
    }

    @Test
    void aCapCountsLeasesAcrossCallsAndALeasesEndWakesTheWaitingWorkers() {
        broker.enqueueNew(jobs("q", 5));
        QueueLimit cap = new QueueLimit("q", 0, null, 2, -1);
        List<Delivery> running = new ArrayList<>(reserve(List.of("q"), 10, cap).deliveries());
        assertEquals(2, running.size());
        Reservation held = reserve(List.of("q"), 10, cap);
        assertEquals(List.of(), ids(held));
        assertEquals(List.of(new QueueHold("q", -1)), held.holds());
        assertEquals("0", redis.command("LLEN", "tasque:{q}:wake"));
        assertArrayEquals(new boolean[] {true}, broker.ack(List.of(running.get(0))));
        assertEquals("1", redis.command("LLEN", "tasque:{q}:wake"), "the ack woke a worker for the capped queue");
        assertEquals(1, reserve(List.of("q"), 10, cap).deliveries().size());
    }

    @Test
    void aCrashedWorkersShareOfTheCapComesBackWhenItsLeasesExpire() {
        broker.enqueueNew(jobs("q", 3));
        QueueLimit cap = new QueueLimit("q", 0, null, 1, -1);
        assertEquals(1, reserve(List.of("q"), 10, cap).deliveries().size()); // its worker dies with it
        assertEquals(0, reserve(List.of("q"), 10, cap).deliveries().size());
        clock.advance(LEASE.plusSeconds(1));
        broker.housekeep(List.of("q"));
        assertEquals("1", redis.command("LLEN", "tasque:{q}:wake"), "the reclaim woke a worker for the capped queue");
        assertEquals(1, reserve(List.of("q"), 10, cap).deliveries().size());
    }

    @Test
    void quotasShareTheSlotsAndWhatAnEmptyQueueLeavesGoesToTheOthers() {
        broker.enqueueNew(jobs("a", 10));
        broker.enqueueNew(jobs("b", 10));
        Reservation r = reserve(List.of("a", "b"), 4, new QueueLimit("a", 0, null, 0, 3), new QueueLimit("b", 0, null, 0, 1));
        assertEquals(3, r.deliveries().stream().filter(d -> d.queue().equals("a")).count());
        assertEquals(1, r.deliveries().stream().filter(d -> d.queue().equals("b")).count());
        Reservation onlyA = reserve(List.of("a", "c"), 4, new QueueLimit("a", 0, null, 0, 1), new QueueLimit("c", 0, null, 0, 3));
        assertEquals(4, onlyA.deliveries().size(), "the empty queue's share went to the other");
    }

    @Test
    void aQueueWithoutLimitsBesideALimitedOneLeasesAsBefore() {
        broker.enqueueNew(jobs("free", 5));
        broker.enqueueNew(jobs("slow", 5));
        Reservation r = reserve(List.of("free", "slow"), 10, new QueueLimit("slow", 1_000_000, null, 0, -1));
        assertEquals(5, r.deliveries().stream().filter(d -> d.queue().equals("free")).count());
        assertEquals(1, r.deliveries().stream().filter(d -> d.queue().equals("slow")).count());
        assertTrue(r.holds().isEmpty() || r.holds().get(0).queue().equals("slow"));
    }
}
