package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerContract;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.Delivery;
import io.tasque.broker.Reservation;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker contract on a real Redis, plus what is specific to Redis: key layout, script reloads, outages. */
@WithRedis
class RedisBrokerTest extends BrokerContract {

    /** The broker under test with its Redis capabilities in view. */
    private RedisBroker redisBroker() {
        return (RedisBroker) broker;
    }

    private final RedisServer redis;

    RedisBrokerTest(RedisServer redis) {
        this.redis = redis;
    }

    @Override
    protected Broker open(BrokerOptions options) {
        return new RedisBroker(BrokerUri.parse(redis.uri()), options);
    }

    @Test
    void aDeadJobTrimmedOverTheCapTakesItsUniquenessEntryWithIt() {
        broker.close();
        broker = open(BrokerOptions.builder().clock(clock).maxDeadPerQueue(1).build());
        broker.enqueue(List.of(chosen("q", "old", 0, Duration.ofHours(24)), chosen("q", "new", 0, Duration.ofHours(24))));
        for (Delivery d : broker.reserve(List.of("q"), 2, LEASE).deliveries()) {
            clock.advance(Duration.ofMillis(1));
            assertTrue(broker.bury(d, "x"));
        }
        assertEquals(null, redis.command("ZSCORE", "tasque:{q}:unique", "old"), "the trimmed job's entry is gone");
        assertEquals("-86400000", redis.command("ZSCORE", "tasque:{q}:unique", "new"), "the dead job keeps its own");
    }

    @Test
    void allKeysOfAQueueShareOneHashTag() {
        broker.enqueue(List.of(job("download", "a"), new io.tasque.broker.OutgoingJob("download", "b", new byte[] {1}, clock.millis() + 10_000)));
        Delivery d = broker.reserve(List.of("download"), 1, LEASE).deliveries().get(0);
        broker.bury(d, "x");
        String keys = redis.command("KEYS", "*");
        for (String key : keys.split("\n")) {
            assertTrue(key.startsWith("tasque:{download}:"), key);
        }
    }

    @Test
    void aSubmitRepeatedAfterItsReplyWasLostStoresEachJobOnce() throws Exception {
        try (ReplyDroppingProxy proxy = new ReplyDroppingProxy(redis.port());
             RedisBroker viaProxy = new RedisBroker(BrokerUri.parse(proxy.uri()), BrokerOptions.defaults())) {
            viaProxy.ping();
            proxy.dropNextReply();
            List<String> ids = viaProxy.enqueueNew(List.of(job("q", io.tasque.JobIds.next()), job("q", io.tasque.JobIds.next())));
            assertEquals(2, ids.size());
        }
        // the first call ran but its reply was lost; the repeat must not push the same ids again
        assertEquals(2, broker.stats("q").ready());
        assertEquals("2", redis.command("LLEN", "tasque:{q}:ready"));
    }

    @Test
    void newJobsAreStoredWithoutAScriptAndLeaveOneWakeToken() {
        redis.command("CONFIG", "RESETSTAT");
        long due = clock.millis() + 10_000;
        String now1 = io.tasque.JobIds.next();
        String now2 = io.tasque.JobIds.next();
        String later = io.tasque.JobIds.next();
        redisBroker().enqueueNew(List.of(job("q", now1), job("q", now2)));
        redisBroker().enqueueNew(List.of(new io.tasque.broker.OutgoingJob("q", later, new byte[] {7}, due), job("other", io.tasque.JobIds.next())));
        String stats = redis.command("INFO", "commandstats");
        assertFalse(stats.contains("cmdstat_evalsha"), stats);
        assertTrue(stats.contains("cmdstat_exec:calls=2"), stats);
        assertEquals("1", redis.command("LLEN", "tasque:{q}:wake"), "one token however many stores");
        assertEquals("1", redis.command("LLEN", "tasque:{other}:wake"));
        assertEquals(String.valueOf(due), redis.command("ZSCORE", "tasque:{q}:delayed", later), "the due time is kept to the ms");
        assertEquals(new io.tasque.broker.QueueStats("q", 2, 1, 0, 0), broker.stats("q"));
        assertEquals(List.of(now1, now2), reserve("q", 5).stream().map(Delivery::id).toList());
        clock.advance(Duration.ofSeconds(10));
        redisBroker().housekeep(List.of("q"));
        Delivery d = reserve("q", 5).get(0);
        assertEquals(later, d.id());
        assertArrayEquals(new byte[] {7}, d.payload());
    }

    @Test
    void aStoreRefusedInsideItsTransactionFailsNamingTheBrokerAndTheError() {
        redis.command("SET", "tasque:{q}:ready", "not a list");
        BrokerException e = assertThrows(BrokerException.class, () -> redisBroker().enqueueNew(List.of(job("q", io.tasque.JobIds.next()))));
        assertTrue(e.getMessage().startsWith(BrokerUri.parse(redis.uri()) + ": enqueue failed"), e.getMessage());
        assertTrue(e.getMessage().contains("WRONGTYPE"), e.getMessage());
    }

    @Test
    void anIdleWorkersCallsOverTenQueuesRunOneCommandEachInsideTheirScripts() {
        List<String> queues = java.util.stream.IntStream.range(0, 10).mapToObj(i -> "idle" + i).toList();
        broker.reserve(queues, 10, LEASE);
        redisBroker().housekeep(queues);
        redis.command("CONFIG", "RESETSTAT");
        Reservation r = broker.reserve(queues, 10, LEASE);
        assertEquals(List.of(), r.deliveries());
        assertEquals(-1, r.nextDueMillis());
        assertEquals(new io.tasque.broker.Housekeeping(0, 0), redisBroker().housekeep(queues));
        String stats = redis.command("INFO", "commandstats");
        List<String> inScripts = stats.lines().filter(l -> l.startsWith("cmdstat_") && !l.startsWith("cmdstat_evalsha")
                && !l.startsWith("cmdstat_config") && !l.startsWith("cmdstat_info")).toList();
        assertEquals(1, inScripts.size(), stats);
        assertTrue(inScripts.get(0).startsWith("cmdstat_exists:calls=2,"), stats);
    }

    @Test
    void oneDelayedJobAmongTenIdleQueuesIsStillFoundAndPromoted() {
        List<String> queues = java.util.stream.IntStream.range(0, 10).mapToObj(i -> "idle" + i).toList();
        long due = clock.millis() + 5_000;
        broker.enqueue(List.of(new io.tasque.broker.OutgoingJob("idle7", "later", new byte[] {1}, due)));
        assertEquals(due, broker.reserve(queues, 10, LEASE).nextDueMillis());
        clock.advance(Duration.ofSeconds(5));
        assertEquals(new io.tasque.broker.Housekeeping(1, 0), redisBroker().housekeep(queues));
        assertEquals("later", broker.reserve(queues, 10, LEASE).deliveries().get(0).id());
    }

    @Test
    void firstRunsLeaseAndAckWithoutWritingAnAttemptCount() {
        broker.enqueue(List.of(job("q", "a"), job("q", "b"), job("q", "c")));
        List<Delivery> first = reserve("q", 3);
        assertEquals("0", redis.command("EXISTS", "tasque:{q}:attempts"), "leasing first runs writes no count");
        assertTrue(broker.retry(first.get(2), clock.millis(), "boom"));
        assertEquals("1", redis.command("HGET", "tasque:{q}:attempts", first.get(2).id()), "the failed run is counted");
        Reservation r = redisBroker().reserve(List.of("q"), 5, LEASE, first.subList(0, 2));
        assertArrayEquals(new boolean[] {true, true}, r.acked());
        Delivery again = r.deliveries().get(0);
        assertEquals(2, again.attempt());
        assertArrayEquals(new boolean[] {true}, broker.ack(List.of(again)));
        assertEquals("0", redis.command("EXISTS", "tasque:{q}:attempts"), "an acked job leaves no count behind");
    }

    @Test
    void theLeasedSetIsASkiplistFromItsFirstLeaseAndItsKeeperIsNeverALease() {
        broker.enqueue(List.of(job("q", "a"), job("q", "b")));
        List<Delivery> leased = reserve("q", 2);
        assertEquals("skiplist", redis.command("OBJECT", "ENCODING", "tasque:{q}:leased"),
                "a listpack would make every lease, check and ack scan the whole set");
        assertEquals(2, broker.stats("q").inFlight());
        assertArrayEquals(new boolean[] {true}, broker.ack(leased.subList(0, 1)));
        assertEquals(1, broker.stats("q").inFlight(), "the keeper is not a lease");
        clock.advance(Duration.ofDays(365 * 100));
        assertEquals(1, redisBroker().housekeep(List.of("q")).reclaimed(), "the keeper never expires");
        assertEquals(1, broker.stats("q").ready());
    }

    @Test
    void aLeasedSetIsDeletedWhenItsLastLeaseEndsHoweverItEnds() {
        Map<String, java.util.function.Consumer<Delivery>> ways = new java.util.LinkedHashMap<>();
        ways.put("ack", d -> assertArrayEquals(new boolean[] {true}, broker.ack(List.of(d))));
        ways.put("retry", d -> assertTrue(broker.retry(d, clock.millis() + 60_000, "boom")));
        ways.put("bury", d -> assertTrue(broker.bury(d, "poison")));
        ways.put("release", d -> assertTrue(broker.release(d)));
        ways.put("lease expiry", d -> {
            clock.advance(LEASE.dividedBy(2).plusSeconds(1));
            assertEquals(1, redisBroker().housekeep(List.of(d.queue())).reclaimed());
        });
        ways.forEach((way, end) -> {
            String q = "q-" + way.replace(' ', '-');
            broker.enqueue(List.of(job(q, "a"), job(q, "b")));
            // leased half a lease apart, so each expires on its own
            Delivery first = reserve(q, 1).get(0);
            clock.advance(LEASE.dividedBy(2));
            List<Delivery> two = List.of(first, reserve(q, 1).get(0));
            end.accept(two.get(0));
            assertEquals("1", redis.command("EXISTS", "tasque:{" + q + "}:leased"), way + ": one lease is left");
            end.accept(two.get(1));
            assertEquals("0", redis.command("EXISTS", "tasque:{" + q + "}:leased"), way + ": no lease left, no key");
        });
        broker.enqueue(List.of(job("q", "c")));
        reserve("q", 1);
        assertEquals("skiplist", redis.command("OBJECT", "ENCODING", "tasque:{q}:leased"), "created with its keeper again");
    }

    @Test
    void leaseTokensStayExactWhileOtherJobsOfTheQueueHaveCounts() {
        broker.enqueue(List.of(job("q", "a"), job("q", "b")));
        Delivery a = reserve("q", 1).get(0);
        assertTrue(broker.retry(a, clock.millis(), "boom"));
        Delivery b = reserve("q", 1).get(0);
        Delivery a2 = reserve("q", 1).get(0);
        assertEquals(List.of(1, 2), List.of(b.attempt(), a2.attempt()));
        assertArrayEquals(new boolean[] {false}, broker.extend(List.of(a), LEASE), "the failed run's token is refused");
        assertArrayEquals(new boolean[] {true, true}, broker.extend(List.of(b, a2), LEASE));
        assertArrayEquals(new boolean[] {false, true, true}, broker.ack(List.of(a, b, a2)));
        assertEquals(new io.tasque.broker.QueueStats("q", 0, 0, 0, 0), broker.stats("q"));
    }

    @Test
    void aDeadJobKeepsItsJobId() {
        broker.enqueue(List.of(job("q", "a")));
        broker.bury(broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0), "x");
        assertEquals("a", broker.deadJobs("q", 0, 1).get(0).id());
    }

    @Test
    void scriptsAreReloadedAfterTheServerForgetsThem() {
        broker.enqueue(List.of(job("q", "a")));
        redis.command("SCRIPT", "FLUSH");
        broker.enqueue(List.of(job("q", "b")));
        assertEquals(2, broker.reserve(List.of("q"), 5, LEASE).deliveries().size());
    }

    @Test
    void aJobWhosePayloadVanishedIsDeliveredWithoutOne() {
        broker.enqueue(List.of(job("q", "a")));
        redis.command("HDEL", "tasque:{q}:jobs", "a");
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        assertEquals(null, d.payload());
    }

    @Test
    void anUnreachableServerFailsWithinTheTimeoutNamingTheBroker() {
        Broker dead = new RedisBroker(BrokerUri.parse("redis://127.0.0.1:1"),
                BrokerOptions.builder().commandTimeout(Duration.ofMillis(500)).connectTimeout(Duration.ofMillis(500)).build());
        long start = System.nanoTime();
        BrokerException e = assertThrows(BrokerException.class, () -> dead.enqueue(List.of(job("q", "a"))));
        assertTrue(System.nanoTime() - start < 2_000_000_000L);
        assertTrue(e.getMessage().startsWith("redis://127.0.0.1:1/0: enqueue failed"), e.getMessage());
        dead.close();
    }

    @Test
    void aPausedServerMakesCallsFailWithinTheCommandTimeout() {
        Broker quick = new RedisBroker(BrokerUri.parse(redis.uri()),
                BrokerOptions.builder().commandTimeout(Duration.ofMillis(500)).connectTimeout(Duration.ofMillis(500)).build());
        redis.pause();
        try {
            long start = System.nanoTime();
            BrokerException e = assertThrows(BrokerException.class, () -> quick.enqueue(List.of(job("q", "a"))));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 1500, "took " + ms + " ms");
            assertTrue(e.getMessage().contains(BrokerUri.parse(redis.uri()).toString()), e.getMessage());
        } finally {
            redis.resume();
            quick.close();
        }
    }

    @Test
    void payloadBytesAreStoredAsGiven() {
        byte[] utf8 = "{\"text\":\"é✓\"}".getBytes(StandardCharsets.UTF_8);
        broker.enqueue(List.of(new io.tasque.broker.OutgoingJob("q", "a", utf8, 0)));
        assertEquals("{\"text\":\"é✓\"}", new String(broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0).payload(), StandardCharsets.UTF_8));
    }
}
