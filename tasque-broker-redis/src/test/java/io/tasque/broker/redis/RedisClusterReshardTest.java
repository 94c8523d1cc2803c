package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.Delivery;
import io.tasque.broker.OutgoingJob;
import io.tasque.broker.QueueStats;
import io.tasque.broker.Reservation;
import io.tasque.testkit.ManualClock;
import io.tasque.testkit.RedisCluster;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedisCluster;
import io.tasque.testkit.SlotMove;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The broker on a real Redis Cluster while a queue's slot is resharded to another master and back, keys moving a
 * few at a time ({@link SlotMove}): calls meet {@code ASK} and {@code TRYAGAIN} and must neither fail nor lose a job.
 */
@WithRedisCluster
class RedisClusterReshardTest {

    private static final Duration LEASE = Duration.ofSeconds(60);
    /** Keys of other kinds in the queue's slot, so that a move takes a few dozen MIGRATEs. */
    private static final int FILLER_KEYS = 40;
    private static final Duration BATCH_PAUSE = Duration.ofMillis(15);
    private static final Duration STEP = Duration.ofSeconds(20);
    /** Jobs due in an hour, left in the queue all along. */
    private static final int LATER = 5;

    private final RedisCluster cluster;

    RedisClusterReshardTest(RedisCluster cluster) {
        this.cluster = cluster;
    }



    @BeforeEach
    void resetStats() {
        for (RedisServer master : cluster.masters()) {
            master.command("CONFIG", "RESETSTAT");
        }
    }

    @Test
    void jobsFlowWithoutErrorOrLossWhileTheQueuesSlotMovesToAnotherMasterAndBack() throws Exception {
        String queue = "reshard";
        int slot = cluster.slotOf("tasque:{" + queue + "}:ready");
        RedisServer home = cluster.masterOf(slot);
        for (int i = 0; i < FILLER_KEYS; i++) {
            home.command("SET", "filler:{" + queue + "}:" + i, "x");
        }
        Queue<String> submitted = new ConcurrentLinkedQueue<>();
        Map<String, Integer> completed = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        Queue<Throwable> producerErrors = new ConcurrentLinkedQueue<>();
        Queue<Throwable> consumerErrors = new ConcurrentLinkedQueue<>();
        Flag stopProducer = new Flag();
        Flag stopConsumer = new Flag();

        try (RedisBroker producer = open(BrokerOptions.defaults()); RedisBroker consumer = open(BrokerOptions.defaults())) {
            // jobs due only later keep the queue's jobs hash and delayed set in the slot all along, so that calls
            // meet keys on both sides of the move; the queue's other keys come and go with the flow
            List<OutgoingJob> later = new ArrayList<>();
            for (int i = 0; i < LATER; i++) {
                later.add(new OutgoingJob(queue, "later" + i, payload("later" + i), System.currentTimeMillis() + 3_600_000));
            }
            producer.enqueue(later);
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                for (int n = 0; n < 20_000 && !stopProducer.up; n++) {
                    String id = "j" + n;
                    try {
                        List<OutgoingJob> job = List.of(new OutgoingJob(queue, id, payload(id), 0));
                        // both ways of storing: MULTI/EXEC of plain commands, and enqueue.lua
                        if (n % 2 == 0) {
                            producer.enqueueNew(job);
                        } else {
                            producer.enqueue(job);
                        }
                        submitted.add(id);
                        pace();
                    } catch (RuntimeException e) {
                        producerErrors.add(e);
                    }
                }
            });
            CompletableFuture<Void> consuming = CompletableFuture.runAsync(() -> {
                List<Delivery> toAck = List.of();
                while (!stopConsumer.up) {
                    try {
                        Reservation r = consumer.reserve(List.of(queue), 20, LEASE, toAck);
                        for (int i = 0; i < toAck.size(); i++) {
                            if (r.acked()[i]) {
                                completed.merge(toAck.get(i).id(), 1, Integer::sum);
                            } else {
                                consumerErrors.add(new AssertionError("ack of " + toAck.get(i) + " found its lease gone"));
                            }
                        }
                        for (Delivery d : r.deliveries()) {
                            if (completed.containsKey(d.id())) {
                                duplicates.incrementAndGet();
                            }
                        }
                        toAck = r.deliveries();
                        if (toAck.isEmpty()) {
                            consumer.awaitWork(List.of(queue), Duration.ofMillis(200));
                        }
                    } catch (RuntimeException e) {
                        consumerErrors.add(e);
                        toAck = List.of();
                    }
                }
                boolean[] acked = consumer.ack(toAck);
                for (int i = 0; i < acked.length; i++) {
                    completed.merge(toAck.get(i).id(), acked[i] ? 1 : 0, Integer::sum);
                }
            });

            RedisServer away = cluster.anotherMasterThanThatOf(slot);
            long start = System.nanoTime();
            awaitUntil("300 jobs completed before the first move", () -> completed.size() >= 300);
            int keys = cluster.moveSlot(slot, away, 2, BATCH_PAUSE);
            long firstMs = (System.nanoTime() - start) / 1_000_000;
            assertSame(away, cluster.masterOf(slot));
            assertTrue(keys > FILLER_KEYS + 1, "the queue's jobs hash and delayed set moved too: " + keys + " keys");
            String firstErrors = home.command("INFO", "errorstats");
            int afterFirst = completed.size();
            awaitUntil("300 more jobs completed on the new master", () -> completed.size() >= afterFirst + 300);
            cluster.moveSlot(slot, home, 2, BATCH_PAUSE);
            assertSame(home, cluster.masterOf(slot));
            String secondErrors = away.command("INFO", "errorstats");
            int afterSecond = completed.size();
            awaitUntil("300 more jobs completed back home", () -> completed.size() >= afterSecond + 300);

            stopProducer.up = true;
            producing.get(STEP.toSeconds(), TimeUnit.SECONDS);
            awaitUntil("every submitted job completed", () -> completed.keySet().containsAll(submitted));
            stopConsumer.up = true;
            consuming.get(STEP.toSeconds(), TimeUnit.SECONDS);

            int lost = 0;
            for (String id : submitted) {
                lost += completed.containsKey(id) ? 0 : 1;
            }
            System.out.println("cluster-reshard (broker): submitted=" + submitted.size() + " completed=" + completed.size()
                    + " duplicates=" + duplicates.get() + " dead=0 lost=" + lost + "; two moves of slot " + slot + " ("
                    + keys + " keys each, 2 per MIGRATE), " + (System.nanoTime() - start) / 1_000_000 + " ms in all, "
                    + "first move done after " + firstMs + " ms");
            assertEquals(List.of(), List.copyOf(producerErrors), "no submit failed");
            assertEquals(List.of(), List.copyOf(consumerErrors), "no reserve, wait or ack failed");
            assertEquals(0, lost, "every submitted job completed");
            assertEquals(0, duplicates.get(), "no lease ran out, so no job ran twice");
            assertEquals(new QueueStats(queue, 0, LATER, 0, 0), producer.stats(queue));
            assertTrue(firstErrors.contains("errorstat_TRYAGAIN") || firstErrors.contains("errorstat_ASK"),
                    "the calls met the first migration: " + firstErrors);
            assertTrue(secondErrors.contains("errorstat_TRYAGAIN") || secondErrors.contains("errorstat_ASK"),
                    "the calls met the second migration: " + secondErrors);
        } finally {
            stopProducer.up = true;
            stopConsumer.up = true;
        }
    }

    @Test
    void aReserveWhoseKeysAllLeftTheSourceIsAnsweredByTheTargetAfterAskingAndTheSlotStaysTheSources() {
        String queue = "asked";
        ManualClock clock = ManualClock.startingNow();
        try (RedisBroker broker = open(BrokerOptions.builder().clock(clock).build())) {
            // give the queue all twelve keys reserve.lua names, so that the target runs it whole (a key missing there
            // would make it answer TRYAGAIN instead); "d" has a caller-chosen id with a window: the unique set; "e" is
            // cancelled: the cancelled set; a rate's next start time long past: the limits hash; the retry: counters
            broker.enqueue(List.of(job(queue, "a"), job(queue, "b"), job(queue, "c"),
                    new io.tasque.broker.OutgoingJob(queue, "d", job(queue, "d").payload(), 0, 60_000), job(queue, "e")));
            assertTrue(broker.cancel(queue, "e"));
            Delivery a = only(broker.reserve(List.of(queue), 1, Duration.ofSeconds(1)));
            assertTrue(broker.retry(a, clock.millis() + Duration.ofHours(1).toMillis(), "boom")); // delayed, attempts, errors
            only(broker.reserve(List.of(queue), 1, Duration.ofSeconds(1)));
            clock.advance(Duration.ofSeconds(2));
            assertEquals(1, broker.housekeep(List.of(queue)).reclaimed()); // expired
            only(broker.reserve(List.of(queue), 1, LEASE)); // leased
            int slot = cluster.slotOf("tasque:{" + queue + "}:ready");
            RedisServer source = cluster.masterOf(slot);
            source.command("HSET", "tasque:{" + queue + "}:limits", "=", "0");
            String queueKeys = source.command("KEYS", "tasque:{" + queue + "}:*");
            assertEquals(12, queueKeys.split("\n").length, "all of reserve.lua's keys exist: " + queueKeys);

            SlotMove move = cluster.beginSlotMove(slot, cluster.anotherMasterThanThatOf(slot));
            move.migrateAll(100, Duration.ZERO);
            Reservation r = broker.reserve(List.of(queue), 1, LEASE);

            Delivery leased = only(r);
            assertTrue(List.of("b", "c", "d").contains(leased.id()), leased.toString());
            assertTrue(source.command("INFO", "errorstats").contains("errorstat_ASK"), "the source answered ASK");
            assertSame(source, cluster.masterOf(slot), "the slot stays the source's until the move ends");
            try (Jedis target = new Jedis(move.target().host(), move.target().port())) {
                target.asking();
                assertEquals(1L, target.llen("tasque:{" + queue + "}:ready"), "the target ran the reserve: two were ready, one is leased");
            }

            move.finish();
            assertEquals(new QueueStats(queue, 1, 1, 2, 0), broker.stats(queue), "then the broker follows MOVED");
        }
    }

    @Test
    void aReserveWhoseKeysAreSplitBetweenTheTwoMastersIsMadeAgainUntilTheMoveEnds() throws Exception {
        String queue = "split";
        try (RedisBroker broker = open(BrokerOptions.defaults())) {
            broker.enqueue(List.of(job(queue, "x"), job(queue, "y")));
            int slot = cluster.slotOf("tasque:{" + queue + "}:ready");
            RedisServer source = cluster.masterOf(slot);
            SlotMove move = cluster.beginSlotMove(slot, cluster.anotherMasterThanThatOf(slot));
            assertEquals(1, move.migrateBatch());

            long start = System.nanoTime();
            CompletableFuture<Reservation> reserving = CompletableFuture.supplyAsync(
                    () -> broker.reserve(List.of(queue), 2, LEASE));
            awaitUntil("the source to answer TRYAGAIN", () -> source.command("INFO", "errorstats").contains("errorstat_TRYAGAIN"));
            assertFalse(reserving.isDone(), "the reserve waits out the migration instead of failing");
            move.migrateAll(1, Duration.ZERO);
            move.finish();
            Reservation r = reserving.get(STEP.toSeconds(), TimeUnit.SECONDS);
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertEquals(List.of("x", "y"), r.deliveries().stream().map(Delivery::id).toList());
            assertTrue(tookMs < BrokerOptions.DEFAULT_COMMAND_TIMEOUT.toMillis(), "took " + tookMs + " ms");
            assertNotSame(source, cluster.masterOf(slot));
        }
    }

    @Test
    void aReserveStillSplitWhenTheCommandTimeoutIsSpentFailsNamingTryAgain() {
        String queue = "stuck";
        try (RedisBroker broker = open(BrokerOptions.builder().commandTimeout(Duration.ofMillis(300)).build())) {
            broker.enqueue(List.of(job(queue, "x")));
            int slot = cluster.slotOf("tasque:{" + queue + "}:ready");
            SlotMove move = cluster.beginSlotMove(slot, cluster.anotherMasterThanThatOf(slot));
            move.migrateBatch();
            long start = System.nanoTime();
            BrokerException e = assertThrows(BrokerException.class, () -> broker.reserve(List.of(queue), 1, LEASE));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().contains("TRYAGAIN"), e.getMessage());
            assertEquals(BrokerException.Kind.UNREACHABLE, e.kind(), "a migration is waited out like an outage");
            assertTrue(tookMs >= 250 && tookMs < 2_000, "gave up after the command timeout, took " + tookMs + " ms");
            move.migrateAll(10, Duration.ZERO);
            move.finish();
            assertEquals(1, broker.reserve(List.of(queue), 1, LEASE).deliveries().size());
        }
    }

    private RedisBroker open(BrokerOptions options) {
        return new RedisBroker(BrokerUri.parse(cluster.uri()), options);
    }

    private static OutgoingJob job(String queue, String id) {
        return new OutgoingJob(queue, id, payload(id), 0);
    }

    private static byte[] payload(String id) {
        return ("payload-" + id).getBytes(StandardCharsets.UTF_8);
    }

    private static Delivery only(Reservation r) {
        assertEquals(1, r.deliveries().size(), "one job leased: " + r.deliveries());
        return r.deliveries().get(0);
    }

    /** Keeps the producer to about a thousand submits a second, so the load stays bounded. */
    private static void pace() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up after " + STEP.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** A stop signal for a load thread. */
    private static final class Flag {
        volatile boolean up;
    }
}
