package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.testkit.ManualClock;
import io.tasque.broker.BrokenQueue;
import io.tasque.broker.BrokenQueuesException;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.Delivery;
import io.tasque.broker.Housekeeping;
import io.tasque.broker.OutgoingJob;
import io.tasque.broker.Reservation;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A key of a queue holding the wrong type of value (an operator's {@code SET}, a stray tool) must never make a
 * script stop half-way: Redis does not roll back a script that errors, so every script checks what it will
 * write before its first write. Each test corrupts one key, makes the call, and compares every key of the
 * server before and after.
 */
@WithRedis
class WrongTypeKeyTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private final RedisServer redis;
    private ManualClock clock;
    private RedisBroker broker;

    WrongTypeKeyTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void open() {
        clock = ManualClock.startingNow();
        broker = new RedisBroker(BrokerUri.parse(redis.uri()),
                BrokerOptions.builder().clock(clock).commandTimeout(Duration.ofSeconds(5)).build());
    }

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void reserveTakesNothingFromAQueueWhoseReadyKeyIsNotAList() {
        broker.enqueue(List.of(delayed("q", "due", clock.millis() + 1000)));
        clock.advance(Duration.ofSeconds(2));
        corrupt("tasque:{q}:ready");
        assertReportedBrokenAndUnchanged(() -> broker.reserve(List.of("q"), 10, LEASE).broken(), "tasque:{q}:ready");
    }

    @Test
    void reserveTakesNothingFromAQueueWhosePayloadHashIsNotAHash() {
        redis.command("RPUSH", "tasque:{q}:ready", "a", "b");
        corrupt("tasque:{q}:jobs");
        assertReportedBrokenAndUnchanged(() -> broker.reserve(List.of("q"), 10, LEASE).broken(), "tasque:{q}:jobs");
    }

    @Test
    void reserveTakesNothingFromAQueueWhoseLeasedKeyIsNotASortedSet() {
        broker.enqueue(List.of(job("q", "a")));
        corrupt("tasque:{q}:leased");
        assertReportedBrokenAndUnchanged(() -> broker.reserve(List.of("q"), 10, LEASE).broken(), "tasque:{q}:leased");
    }

    @Test
    void anAckIntoAQueueWhosePayloadHashIsNotAHashEndsNoLease() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        corrupt("tasque:{q}:jobs");
        assertUnchangedBy(() -> broker.ack(List.of(d)));
        Reservation[] got = new Reservation[1];
        assertReportedBrokenAndUnchanged(() -> (got[0] = broker.reserve(List.of("q"), 1, LEASE, List.of(d))).broken(), "tasque:{q}:jobs");
        assertFalse(got[0].acked()[0], "the ack into the broken queue was not applied");
    }

    @Test
    void anAckOfARetriedJobIntoAQueueWhoseErrorsKeyIsNotAHashEndsNoLease() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery first = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        broker.retry(first, clock.millis(), "boom");
        Delivery second = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        assertEquals(2, second.attempt());
        corrupt("tasque:{q}:errors");
        assertUnchangedBy(() -> broker.ack(List.of(second)));
    }

    @Test
    void aRetryIntoAQueueWhoseDelayedKeyIsNotASortedSetKeepsTheLease() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        corrupt("tasque:{q}:delayed");
        assertUnchangedBy(() -> broker.retry(d, clock.millis() + 1000, "boom"));
    }

    @Test
    void aRetryIntoAQueueWhoseWakeKeyIsNotAListKeepsTheLease() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        corrupt("tasque:{q}:wake");
        assertUnchangedBy(() -> broker.retry(d, clock.millis() + 1000, "boom"));
    }

    @Test
    void aBurialIntoAQueueWhoseDeadKeyIsNotASortedSetKeepsTheLease() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        corrupt("tasque:{q}:dead");
        assertUnchangedBy(() -> broker.bury(d, "no"));
    }

    @Test
    void aReleaseIntoAQueueWhoseReadyKeyIsNotAListKeepsTheLease() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        corrupt("tasque:{q}:ready");
        assertUnchangedBy(() -> broker.release(d));
    }

    @Test
    void anExtendOnAQueueWhoseAttemptsKeyIsNotAHashRenewsNothing() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        clock.advance(Duration.ofSeconds(5));
        corrupt("tasque:{q}:attempts");
        assertUnchangedBy(() -> broker.extend(List.of(d), LEASE));
    }

    @Test
    void housekeepingMovesNothingInAQueueWhoseReadyKeyIsNotAList() {
        broker.enqueue(List.of(delayed("q", "due", clock.millis() + 1000)));
        broker.enqueue(List.of(job("q", "a")));
        broker.reserve(List.of("q"), 1, LEASE);
        clock.advance(LEASE.plusSeconds(1));
        corrupt("tasque:{q}:ready");
        assertReportedBrokenAndUnchanged(() -> broker.housekeep(List.of("q")).broken(), "tasque:{q}:ready");
    }

    @Test
    void housekeepingMovesNothingInAQueueWhoseExpiredKeyIsNotAHash() {
        broker.enqueue(List.of(job("q", "a")));
        broker.reserve(List.of("q"), 1, LEASE);
        clock.advance(LEASE.plusSeconds(1));
        corrupt("tasque:{q}:expired");
        assertReportedBrokenAndUnchanged(() -> broker.housekeep(List.of("q")).broken(), "tasque:{q}:expired");
    }

    @Test
    void aRevivalIntoAQueueWhoseReadyKeyIsNotAListLeavesTheJobDead() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        broker.bury(d, "no");
        corrupt("tasque:{q}:ready");
        assertUnchangedBy(() -> broker.retryDead("q", "a"));
    }

    @Test
    void aPurgeOfAQueueWhoseErrorsKeyIsNotAHashDeletesNothing() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        broker.bury(d, "no");
        corrupt("tasque:{q}:errors");
        assertUnchangedBy(() -> broker.deleteDead("q", "a"));
    }

    @Test
    void anEnqueueIntoAQueueWhoseReadyKeyIsNotAListStoresNothing() {
        corrupt("tasque:{q}:ready");
        assertUnchangedBy(() -> broker.enqueue(List.of(job("q", "a"), job("q", "b"))));
    }

    @Test
    void aDelayedEnqueueIntoAQueueWhoseDelayedKeyIsNotASortedSetStoresNothing() {
        corrupt("tasque:{q}:delayed");
        assertUnchangedBy(() -> broker.enqueue(List.of(delayed("q", "a", clock.millis() + 1000))));
    }

    @Test
    void aSubmitOfNewJobsIntoAQueueWhoseReadyKeyIsNotAListLeavesNoPayloadBehind() {
        corrupt("tasque:{q}:ready");
        assertNoJobDataChangedBy(() -> broker.enqueueNew(List.of(job("q", io.tasque.JobIds.next()))));
    }

    @Test
    void aSubmitOfNewJobsIntoAQueueWhosePayloadHashIsNotAHashLeavesNoIdBehind() {
        corrupt("tasque:{q}:jobs");
        assertNoJobDataChangedBy(() -> broker.enqueueNew(List.of(job("q", io.tasque.JobIds.next()))));
    }

    @Test
    void aBrokenQueueDoesNotStopReserveFromLeasingTheOthers() {
        broker.enqueue(List.of(job("good", "g1"), job("good", "g2"), delayed("bad", "due", clock.millis() + 1000)));
        clock.advance(Duration.ofSeconds(2));
        corrupt("tasque:{bad}:ready");
        for (int turn = 0; turn < 2; turn++) { // the queue to start with takes turns: broken first, then good first
            Reservation got = broker.reserve(List.of("bad", "good"), 1, LEASE);
            assertEquals(List.of("good"), got.deliveries().stream().map(Delivery::queue).toList());
            assertEquals(List.of(new BrokenQueue("bad", "tasque:{bad}:ready", got.broken().get(0).error())), got.broken());
        }
        assertEquals("due", redis.command("ZRANGE", "tasque:{bad}:delayed", "0", "-1"), "the broken queue's due job stays delayed");
    }

    @Test
    void anAckIntoABrokenQueueLeftOutOfLeasingIsReportedAndTheOtherQueuesAreStillLeased() {
        broker.enqueue(List.of(job("bad", "a"), job("good", "g")));
        Delivery d = broker.reserve(List.of("bad"), 1, LEASE).deliveries().get(0);
        corrupt("tasque:{bad}:jobs");
        Map<String, String> before = snapshot();
        Reservation got = broker.reserve(List.of("good"), 1, LEASE, List.of(d));
        assertEquals(List.of("g"), got.deliveries().stream().map(Delivery::id).toList());
        assertFalse(got.acked()[0]);
        assertEquals(List.of("bad"), got.broken().stream().map(BrokenQueue::queue).toList());
        assertEquals(before.get("tasque:{bad}:leased"), snapshot().get("tasque:{bad}:leased"), "the lease is still held");
    }

    @Test
    void aBrokenQueueNeverLeavesAnotherQueuesJobsLeasedToNobody() {
        broker.enqueue(List.of(job("good", "g1"), job("good", "g2"), job("good", "g3")));
        corrupt("tasque:{bad}:ready");
        java.util.Set<String> handedOut = new java.util.TreeSet<>();
        for (int turn = 0; turn < 2; turn++) {
            try {
                broker.reserve(List.of("good", "bad"), 1, LEASE).deliveries().forEach(d -> handedOut.add(d.id()));
            } catch (BrokerException e) {
                // a call that fails must not have leased anything either
            }
        }
        java.util.Set<String> leased = new java.util.TreeSet<>(Arrays.asList(redis.command("ZRANGEBYSCORE", "tasque:{good}:leased", "-inf", "(+inf").split("\n")));
        leased.remove("");
        assertEquals(handedOut, leased, "every lease belongs to a job the caller received");
    }

    @Test
    void aBrokenQueueDoesNotStopHousekeepingTheOthers() {
        broker.enqueue(List.of(delayed("good", "g", clock.millis() + 1000), delayed("bad", "b", clock.millis() + 1000)));
        clock.advance(Duration.ofSeconds(2));
        corrupt("tasque:{bad}:ready");
        Housekeeping h = broker.housekeep(List.of("bad", "good"));
        assertEquals(1, h.promoted());
        assertEquals(1, h.broken().size());
        assertEquals("tasque:{bad}:ready", h.broken().get(0).key());
        assertEquals("g", redis.command("LRANGE", "tasque:{good}:ready", "0", "-1"));
        assertEquals("b", redis.command("ZRANGE", "tasque:{bad}:delayed", "0", "-1"));
    }

    @Test
    void aWaitOnAQueueWhoseWakeKeyIsNotAListNamesThatQueue() {
        corrupt("tasque:{bad}:wake");
        BrokenQueuesException e = assertThrows(BrokenQueuesException.class,
                () -> broker.awaitWork(List.of("good", "bad"), Duration.ofMillis(50)));
        assertEquals(List.of("bad"), e.queues().stream().map(BrokenQueue::queue).toList());
        assertEquals(BrokerException.Kind.DATA, e.kind());
    }

    @Test
    void aCancelOfADelayedJobInAQueueWhoseErrorsKeyIsNotAHashLeavesItDelayed() {
        broker.enqueue(List.of(delayed("q", "a", clock.millis() + 60_000)));
        corrupt("tasque:{q}:errors");
        assertUnchangedBy(() -> broker.cancel("q", "a"));
    }

    @Test
    void theEndOfACancelledRunInAQueueWhoseUniqueKeyIsNotASortedSetKeepsTheLease() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        assertTrue(broker.cancel("q", "a"));
        corrupt("tasque:{q}:unique");
        assertUnchangedBy(() -> broker.retry(d, clock.millis() + 1000, "interrupted"));
        assertUnchangedBy(() -> broker.ack(List.of(d)));
    }

    @Test
    void aLimitedReserveTakesNothingFromAQueueWhoseLimitsKeyIsNotAHash() {
        broker.enqueue(List.of(job("q", "a"), delayed("q", "d", clock.millis() - 1)));
        corrupt("tasque:{q}:limits");
        assertReportedBrokenAndUnchanged(() -> broker.reserve(List.of("q"), 10, LEASE, List.of(),
                List.of(new io.tasque.broker.QueueLimit("q", 1_000_000, null, 2, -1))).broken(), "tasque:{q}:limits");
    }

    @Test
    void anAckIntoAQueueWhoseCountersKeyIsNotAHashEndsNoLease() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        corrupt("tasque:{q}:counters");
        assertUnchangedBy(() -> broker.ack(List.of(d)));
        Reservation[] got = new Reservation[1];
        assertReportedBrokenAndUnchanged(() -> (got[0] = broker.reserve(List.of("q"), 1, LEASE, List.of(d))).broken(),
                "tasque:{q}:counters");
        assertFalse(got[0].acked()[0], "the ack into the broken queue was not applied");
    }

    @Test
    void aRetryOrBuryIntoAQueueWhoseCountersKeyIsNotAHashKeepsTheLease() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        corrupt("tasque:{q}:counters");
        assertUnchangedBy(() -> broker.retry(d, clock.millis() + 1000, "boom"));
        assertUnchangedBy(() -> broker.bury(d, "boom"));
    }

    @Test
    void aWrongTypedKeyIsADataErrorNotAnOutage() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        corrupt("tasque:{q}:delayed");
        assertEquals(BrokerException.Kind.DATA, assertThrows(BrokerException.class, () -> broker.retry(d, 0, "x")).kind());
    }

    /** The call reports the queue broken, naming the key and a WRONGTYPE error, and every key is as it was. */
    private void assertReportedBrokenAndUnchanged(java.util.function.Supplier<List<BrokenQueue>> call, String key) {
        Map<String, String> before = snapshot();
        List<BrokenQueue> broken = call.get();
        assertEquals(before, snapshot(), "the call changed nothing in the broken queue");
        assertEquals(1, broken.size(), broken.toString());
        assertEquals(key, broken.get(0).key());
        assertTrue(broken.get(0).error().contains("WRONGTYPE"), broken.get(0).error());
    }

    /** Makes {@code key} a string, the wrong type for every key tasque keeps. */
    private void corrupt(String key) {
        redis.command("DEL", key);
        redis.command("SET", key, "x");
    }

    /** The call fails with a data error naming the key, and every key of the server is as it was. */
    private void assertUnchangedBy(Executable call) {
        Map<String, String> before = snapshot();
        BrokerException e = assertThrows(BrokerException.class, call);
        assertEquals(before, snapshot(), "the failed call changed nothing");
        assertTrue(e.getMessage().contains("WRONGTYPE"), e.getMessage());
        assertEquals(BrokerException.Kind.DATA, e.kind(), e.getMessage());
    }

    /**
     * Like {@link #assertUnchangedBy}, for the transaction that stores new jobs: it cannot stop at a failed command,
     * so it undoes what it stored; only a spare wake token (one extra look by an idle worker) may stay behind.
     */
    private void assertNoJobDataChangedBy(Executable call) {
        Map<String, String> before = snapshot();
        BrokerException e = assertThrows(BrokerException.class, call);
        Map<String, String> after = snapshot();
        after.keySet().removeIf(k -> k.endsWith(":wake"));
        assertEquals(before, after, "the failed store left no payload and no id behind");
        assertEquals(BrokerException.Kind.DATA, e.kind(), e.getMessage());
    }

    /** Every key with its type and contents, sorted by key. */
    Map<String, String> snapshot() {
        Map<String, String> out = new TreeMap<>();
        for (String key : Arrays.stream(redis.command("KEYS", "*").split("\n")).filter(k -> !k.isEmpty()).toList()) {
            String type = redis.command("TYPE", key);
            String value = switch (type) {
                case "list" -> redis.command("LRANGE", key, "0", "-1");
                case "zset" -> redis.command("ZRANGE", key, "0", "-1", "WITHSCORES");
                case "hash" -> new TreeMap<>(pairs(redis.command("HGETALL", key))).toString();
                case "string" -> redis.command("GET", key);
                default -> "?";
            };
            out.put(key, type + " " + value);
        }
        return out;
    }

    private static Map<String, String> pairs(String flat) {
        Map<String, String> out = new TreeMap<>();
        String[] parts = flat.split("\n");
        for (int i = 0; i + 1 < parts.length; i += 2) {
            out.put(parts[i], parts[i + 1]);
        }
        return out;
    }

    static OutgoingJob job(String queue, String id) {
        return new OutgoingJob(queue, id, ("payload-" + id).getBytes(StandardCharsets.UTF_8), 0);
    }

    static OutgoingJob delayed(String queue, String id, long due) {
        return new OutgoingJob(queue, id, ("payload-" + id).getBytes(StandardCharsets.UTF_8), due);
    }
}
