package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.BrokerOptions;
import io.tasque.broker.DeadJob;
import io.tasque.broker.Delivery;
import io.tasque.broker.OutgoingJob;
import io.tasque.broker.QueueStats;
import io.tasque.broker.Reservation;
import io.tasque.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One queue split into partitions ({@link io.tasque.broker.Partitioning}): spread by producers, fetched fairly by
 * workers, K stored on the server, and no job stranded when K changes. A subclass says which Redis it runs on.
 */
abstract class PartitionsContract {

    static final Duration LEASE = Duration.ofSeconds(30);

    ManualClock clock;
    RedisBroker broker;

    /** A broker on an empty server with these options. */
    abstract RedisBroker open(BrokerOptions options);

    /** Runs a command on the server holding {@code key}. */
    abstract String command(String key, String... args);

    @BeforeEach
    void openBroker() {
        clock = ManualClock.startingNow();
        broker = open(BrokerOptions.builder().clock(clock).commandTimeout(Duration.ofSeconds(5)).build());
    }

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    static OutgoingJob job(String queue, String id) {
        return new OutgoingJob(queue, id, ("payload-" + id).getBytes(StandardCharsets.UTF_8), 0);
    }

    /** The partition record of {@code queue} as stored: "k high changedAt". */
    String record(String queue) {
        return command("tasque:partitions", "HGET", "tasque:partitions", queue);
    }

    long ready(String storedQueue) {
        String key = "tasque:{" + storedQueue + "}:ready";
        return Long.parseLong(command(key, "LLEN", key));
    }

    /** Submits {@code n} jobs of {@code queue}, one call each, as single submits arrive. */
    List<String> submitOneByOne(String queue, String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(broker.enqueue(List.of(job(queue, prefix + i))).get(0));
        }
        return ids;
    }

    /** Leases and acks every ready job of {@code queue}, a few per call; returns their ids by partition. */
    Map<Integer, List<String>> drain(String queue) {
        Map<Integer, List<String>> byPartition = new HashMap<>();
        for (int calls = 0; calls < 1000; calls++) {
            List<Delivery> got = broker.reserve(List.of(queue), 7, LEASE).deliveries();
            if (got.isEmpty()) {
                return byPartition;
            }
            for (Delivery d : got) {
                assertEquals(queue, d.queue(), "a delivery names its queue, not its partition");
                byPartition.computeIfAbsent(d.partition(), p -> new ArrayList<>()).add(d.id());
            }
            for (boolean acked : broker.ack(got)) {
                assertTrue(acked);
            }
        }
        throw new AssertionError("queue " + queue + " did not drain in 1000 calls");
    }

    static List<String> all(Map<Integer, List<String>> byPartition) {
        List<String> out = new ArrayList<>();
        byPartition.values().forEach(out::addAll);
        return out;
    }

    @Test
    void aQueueIsOnePartitionUntilSetAndKIsStoredOnTheServer() {
        assertEquals(1, broker.partitions("work"));
        broker.partitions("work", 3);
        assertEquals(3, broker.partitions("work"));
        String record = record("work");
        assertTrue(record.startsWith("3 3 "), record);
        try (RedisBroker other = open(BrokerOptions.defaults())) {
            assertEquals(3, other.partitions("work"), "another process reads the same K");
        }
    }

    @Test
    void singleSubmitsTakeThePartitionsInTurn() {
        broker.partitions("work", 3);
        submitOneByOne("work", "m", 30);
        assertEquals(10, ready("work"));
        assertEquals(10, ready("work#1"));
        assertEquals(10, ready("work#2"));
    }

    @Test
    void aLargeBatchIsCutIntoOneRunPerPartition() {
        broker.partitions("work", 4);
        List<OutgoingJob> batch = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            batch.add(job("work", "b" + i));
        }
        List<String> ids = broker.enqueue(batch);
        assertEquals(400, ids.size());
        for (String p : List.of("work", "work#1", "work#2", "work#3")) {
            assertEquals(100, ready(p), p);
        }
        assertEquals(400, broker.stats("work").ready());
    }

    @Test
    void workersFetchEveryPartitionInTurnSoNoneIsStarved() {
        broker.partitions("work", 3);
        submitOneByOne("work", "m", 30);
        Map<Integer, Integer> firstSix = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            List<Delivery> got = broker.reserve(List.of("work"), 1, LEASE).deliveries();
            assertEquals(1, got.size());
            firstSix.merge(got.get(0).partition(), 1, Integer::sum);
        }
        assertEquals(Map.of(0, 2, 1, 2, 2, 2), firstSix, "six single fetches take two jobs from each partition");
    }

    @Test
    void everyJobIsDeliveredOnceAndAckedInItsPartition() {
        broker.partitions("work", 3);
        List<String> ids = submitOneByOne("work", "m", 31);
        Map<Integer, List<String>> got = drain("work");
        assertEquals(Set.of(0, 1, 2), got.keySet());
        assertEquals(new HashSet<>(ids), new HashSet<>(all(got)));
        assertEquals(31, all(got).size(), "no job twice");
        QueueStats s = broker.stats("work");
        assertEquals(0, s.ready() + s.delayed() + s.inFlight() + s.dead());
    }

    @Test
    void aCancelFindsItsJobInWhicheverPartitionHoldsItRunningOrWaiting() {
        broker.partitions("work", 3);
        List<String> ids = submitOneByOne("work", "c", 6);
        List<Delivery> running = broker.reserve(List.of("work"), 3, LEASE).deliveries();
        for (String id : ids) {
            assertTrue(broker.cancel("work", id), id);
        }
        assertArrayEquals(new boolean[] {true, true, true}, broker.cancelRequested(running));
        assertArrayEquals(new boolean[] {false, false, false}, broker.ack(running));
        for (String id : ids) {
            assertEquals(io.tasque.broker.StoredJob.State.CANCELLED, broker.job("work", id).orElseThrow().state(), id);
        }
        QueueStats s = broker.stats("work");
        assertEquals(0, s.ready() + s.delayed() + s.inFlight() + s.dead());
    }

    @Test
    void loweringKStrandsNoJobAndRaisingItMovesNone() {
        broker.partitions("work", 3);
        List<String> before = submitOneByOne("work", "old", 12);
        broker.partitions("work", 1);
        List<String> after = submitOneByOne("work", "new", 4);
        assertEquals(4 + 4, ready("work"), "new jobs go to partition 0 only");
        broker.partitions("work", 5);
        List<String> raised = submitOneByOne("work", "up", 5);
        assertEquals(1, ready("work#4"));
        Set<String> expected = new HashSet<>(before);
        expected.addAll(after);
        expected.addAll(raised);
        assertEquals(expected, new HashSet<>(all(drain("work"))));
    }

    @Test
    void partitionsLeftOverAfterLoweringKAreDroppedOnlyOnceEmptyAndAfterTheGrace() {
        broker.partitions("work", 3);
        submitOneByOne("work", "m", 6);
        broker.partitions("work", 1);
        clock.advance(PartitionTable.SHRINK_GRACE.plusSeconds(1));
        broker.housekeep(List.of("work"));
        assertTrue(record("work").startsWith("1 3 "),
                "partitions 1 and 2 still hold jobs: they stay fetched");
        assertEquals(6, all(drain("work")).size());
        broker.housekeep(List.of("work"));
        assertTrue(record("work").startsWith("1 1 "),
                "empty and past the grace: dropped");
    }

    @Test
    void emptyLeftOverPartitionsStayFetchedDuringTheGrace() {
        broker.partitions("work", 3);
        broker.partitions("work", 2);
        broker.housekeep(List.of("work"));
        clock.advance(PartitionTable.SHRINK_GRACE.minusSeconds(1));
        broker.housekeep(List.of("work"));
        assertTrue(record("work").startsWith("2 3 "),
                "a producer may still hold K=3 for a while: partition 2 stays fetched");
    }

    @Test
    void delayedJobsOfEveryPartitionBecomeReady() {
        broker.partitions("work", 3);
        for (int i = 0; i < 6; i++) {
            broker.enqueue(List.of(new OutgoingJob("work", "later" + i, new byte[] {1}, clock.millis() + 5_000)));
        }
        assertEquals(6, broker.stats("work").delayed());
        assertEquals(0, broker.reserve(List.of("work"), 10, LEASE).deliveries().size());
        clock.advance(Duration.ofSeconds(5));
        assertEquals(6, all(drain("work")).size());
    }

    @Test
    void expiredLeasesOfEveryPartitionAreReclaimed() {
        broker.partitions("work", 3);
        submitOneByOne("work", "m", 3);
        List<Delivery> leased = broker.reserve(List.of("work"), 3, Duration.ofSeconds(1)).deliveries();
        assertEquals(3, leased.size());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(3, broker.housekeep(List.of("work")).reclaimed());
        List<Delivery> again = broker.reserve(List.of("work"), 3, LEASE).deliveries();
        assertEquals(3, again.size());
        for (Delivery d : again) {
            assertEquals(2, d.attempt());
            assertTrue(broker.extend(List.of(d), LEASE)[0]);
        }
        for (Delivery stale : leased) {
            assertTrue(!broker.ack(List.of(stale))[0], "a stale lease is fenced in its partition too: " + stale);
        }
    }

    @Test
    void retriesStayInTheirPartitionAndTheDeadLetterSpansThemAll() {
        broker.partitions("work", 3);
        submitOneByOne("work", "m", 3);
        List<Delivery> got = broker.reserve(List.of("work"), 3, LEASE).deliveries();
        assertEquals(Set.of(0, 1, 2), Set.of(got.get(0).partition(), got.get(1).partition(), got.get(2).partition()));
        Delivery retried = got.get(0);
        assertTrue(broker.retry(retried, clock.millis() + 1000, "again"));
        assertTrue(broker.bury(got.get(1), "first"));
        clock.advance(Duration.ofMillis(10));
        assertTrue(broker.bury(got.get(2), "second"));
        assertEquals(1, broker.stats("work").delayed());
        assertEquals(2, broker.stats("work").dead());
        List<DeadJob> dead = broker.deadJobs("work", 0, 10);
        assertEquals(List.of(got.get(1).id(), got.get(2).id()), List.of(dead.get(0).id(), dead.get(1).id()), "oldest first");
        assertEquals("work", dead.get(0).queue());
        assertEquals(List.of(got.get(2).id()), broker.deadJobs("work", 1, 10).stream().map(DeadJob::id).toList());
        assertNotNull(broker.deadJob("work", got.get(2).id()));
        assertEquals(got.get(2).id(), broker.retryDead("work", got.get(2).id(), null));
        assertTrue(broker.deleteDead("work", got.get(1).id()));
        assertNull(broker.deadJob("work", got.get(1).id()));
        clock.advance(Duration.ofSeconds(1));
        List<Delivery> rerun = broker.reserve(List.of("work"), 10, LEASE).deliveries();
        assertEquals(2, rerun.size());
        for (Delivery d : rerun) {
            if (d.id().equals(retried.id())) {
                assertEquals(retried.partition(), d.partition(), "a retry runs from the partition it failed in");
            }
        }
    }

    @Test
    void theQueueListNamesTheQueueNotItsPartitions() {
        broker.partitions("work", 3);
        submitOneByOne("work", "m", 3);
        broker.enqueue(List.of(job("other", "o")));
        assertEquals(List.of("other", "work"), broker.queues());
    }

    @Test
    void aTaskNameThatReadsAsAPartitionIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> broker.checkQueueName("work#2"));
        assertTrue(e.getMessage().contains("'work#2'") && e.getMessage().contains("partition"), e.getMessage());
        broker.checkQueueName("work#x");
        broker.checkQueueName("#2");
        assertThrows(IllegalArgumentException.class, () -> broker.partitions("work", 0));
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> broker.partitions("work", 5000));
        assertTrue(big.getMessage().contains("5000"), big.getMessage());
    }

    @Test
    void anIdleWaitWakesForAJobInAnyPartition() {
        broker.partitions("work", 3);
        for (int p = 0; p < 3; p++) {
            String id = "w" + p;
            Thread producer = new Thread(() -> broker.enqueue(List.of(job("work", id))));
            producer.start();
            assertTrue(broker.awaitWork(List.of("work"), Duration.ofSeconds(4)), "woken for the job of turn " + p);
            Reservation r = broker.reserve(List.of("work"), 1, LEASE);
            assertEquals(1, r.deliveries().size());
            broker.ack(r.deliveries());
        }
    }
}
