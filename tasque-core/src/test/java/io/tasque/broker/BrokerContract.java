package io.tasque.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Broker} must have. A broker's test is a subclass that only says how to open
 * it on a fresh, empty server; time moves through a {@link MutableClock}, never by sleeping.
 */
public abstract class BrokerContract {

    protected static final Duration LEASE = Duration.ofSeconds(30);

    protected MutableClock clock;
    protected Broker broker;

    /** Opens the broker under test on an empty server, with these options. */
    protected abstract Broker open(BrokerOptions options);

    @BeforeEach
    void openBroker() {
        clock = MutableClock.startingNow();
        broker = open(BrokerOptions.builder().clock(clock).commandTimeout(Duration.ofSeconds(5)).build());
    }

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    protected static OutgoingJob job(String queue, String id) {
        return new OutgoingJob(queue, id, ("payload-" + id).getBytes(StandardCharsets.UTF_8), 0);
    }

    private List<Delivery> reserve(String queue, int max) {
        return broker.reserve(List.of(queue), max, LEASE).deliveries();
    }

    @Test
    void anEnqueuedJobIsLeasedOnceWithAttemptOneAndItsPayload() {
        broker.enqueue(List.of(job("q", "a")));
        List<Delivery> got = reserve("q", 10);
        assertEquals(1, got.size());
        Delivery d = got.get(0);
        assertEquals("a", d.id());
        assertEquals("q", d.queue());
        assertEquals(1, d.attempt());
        assertEquals(0, d.leaseExpiries());
        assertArrayEquals("payload-a".getBytes(StandardCharsets.UTF_8), d.payload());
        assertTrue(reserve("q", 10).isEmpty());
        assertEquals(new QueueStats("q", 0, 0, 1, 0), broker.stats("q"));
    }

    @Test
    void reserveTakesNoMoreThanAskedInFifoOrder() {
        List<OutgoingJob> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(job("q", "j" + i));
        }
        broker.enqueue(jobs);
        List<Delivery> first = reserve("q", 3);
        assertEquals(List.of("j0", "j1", "j2"), first.stream().map(Delivery::id).toList());
        assertEquals(List.of("j3", "j4"), reserve("q", 3).stream().map(Delivery::id).toList());
    }

    @Test
    void largeBatchesAreStoredLeasedAndAckedWhole() {
        List<OutgoingJob> jobs = new ArrayList<>();
        for (int i = 0; i < 1234; i++) {
            jobs.add(job("big", "j" + i));
        }
        assertEquals(1234, broker.enqueue(jobs).size());
        List<Delivery> got = broker.reserve(List.of("big"), 2000, LEASE).deliveries();
        assertEquals(1234, got.size());
        assertEquals("j1233", got.get(1233).id());
        assertArrayEquals("payload-j1233".getBytes(StandardCharsets.UTF_8), got.get(1233).payload());
        boolean[] held = broker.extend(got, LEASE);
        boolean[] acked = broker.ack(got);
        for (int i = 0; i < got.size(); i++) {
            assertTrue(held[i] && acked[i], "job " + i);
        }
        assertEquals(new QueueStats("big", 0, 0, 0, 0), broker.stats("big"));
    }

    @Test
    void reserveServesSeveralQueuesInOneCall() {
        broker.enqueue(List.of(job("a", "1"), job("b", "2"), job("c", "3")));
        List<Delivery> got = broker.reserve(List.of("a", "b", "c"), 10, LEASE).deliveries();
        assertEquals(3, got.size());
        assertEquals(List.of("a", "b", "c"), got.stream().map(Delivery::queue).sorted().toList());
    }

    @Test
    void enqueueIsIdempotentByJobId() {
        broker.enqueue(List.of(job("q", "same")));
        broker.enqueue(List.of(job("q", "same")));
        assertEquals(1, broker.stats("q").ready());
    }

    @Test
    void ackRemovesTheJobForGood() {
        broker.enqueue(List.of(job("q", "a"), job("q", "b")));
        List<Delivery> got = reserve("q", 2);
        assertArrayEquals(new boolean[] {true, true}, broker.ack(got));
        assertEquals(new QueueStats("q", 0, 0, 0, 0), broker.stats("q"));
        assertArrayEquals(new boolean[] {false}, broker.ack(List.of(got.get(0))));
    }

    @Test
    void reserveCanAckFinishedJobsInTheSameCall() {
        broker.enqueue(List.of(job("q", "a"), job("q", "b"), job("other", "c")));
        Delivery a = reserve("q", 1).get(0);
        Delivery c = broker.reserve(List.of("other"), 1, LEASE).deliveries().get(0);
        Reservation r = broker.reserve(List.of("q"), 5, LEASE, List.of(a, c, a));
        assertArrayEquals(new boolean[] {true, true, false}, r.acked());
        assertEquals(List.of("b"), r.deliveries().stream().map(Delivery::id).toList());
        assertEquals(new QueueStats("q", 0, 0, 1, 0), broker.stats("q"));
        assertEquals(new QueueStats("other", 0, 0, 0, 0), broker.stats("other"));
    }

    @Test
    void anExpiredLeaseIsReclaimedAndTheStaleOwnerIsFencedOut() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery stale = broker.reserve(List.of("q"), 1, Duration.ofSeconds(1)).deliveries().get(0);
        clock.advance(Duration.ofSeconds(2));
        assertEquals(1, broker.housekeep(List.of("q")).reclaimed());
        Delivery fresh = reserve("q", 1).get(0);
        assertEquals(2, fresh.attempt());
        assertEquals(1, fresh.leaseExpiries());
        assertArrayEquals(new boolean[] {false}, broker.extend(List.of(stale), LEASE));
        assertArrayEquals(new boolean[] {false}, broker.ack(List.of(stale)));
        assertFalse(broker.retry(stale, clock.millis(), "late"));
        assertFalse(broker.bury(stale, "late"));
        assertFalse(broker.release(stale));
        assertEquals(new QueueStats("q", 0, 0, 1, 0), broker.stats("q"));
        assertArrayEquals(new boolean[] {true}, broker.ack(List.of(fresh)));
    }

    @Test
    void theStaleOwnerCannotAckBetweenReclaimAndRedelivery() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery stale = broker.reserve(List.of("q"), 1, Duration.ofSeconds(1)).deliveries().get(0);
        clock.advance(Duration.ofSeconds(2));
        broker.housekeep(List.of("q"));
        assertArrayEquals(new boolean[] {false}, broker.ack(List.of(stale)));
        assertEquals(1, broker.stats("q").ready());
    }

    @Test
    void extendingALeaseKeepsTheJobFromBeingReclaimed() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = broker.reserve(List.of("q"), 1, Duration.ofSeconds(1)).deliveries().get(0);
        clock.advance(Duration.ofMillis(800));
        assertArrayEquals(new boolean[] {true}, broker.extend(List.of(d), Duration.ofSeconds(1)));
        clock.advance(Duration.ofMillis(800));
        assertEquals(0, broker.housekeep(List.of("q")).reclaimed());
        clock.advance(Duration.ofMillis(400));
        assertEquals(1, broker.housekeep(List.of("q")).reclaimed());
    }

    @Test
    void aRetriedJobComesBackWhenDueWithTheNextAttemptAndItsError() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = reserve("q", 1).get(0);
        assertTrue(broker.retry(d, clock.millis() + 2000, "boom"));
        assertEquals(new QueueStats("q", 0, 1, 0, 0), broker.stats("q"));
        Reservation early = broker.reserve(List.of("q"), 1, LEASE);
        assertTrue(early.isEmpty());
        assertEquals(clock.millis() + 2000, early.nextDueMillis());
        clock.advance(Duration.ofMillis(2000));
        Delivery again = reserve("q", 1).get(0);
        assertEquals(2, again.attempt());
        assertArrayEquals("payload-a".getBytes(StandardCharsets.UTF_8), again.payload());
    }

    @Test
    void aDelayedJobIsNotLeasedBeforeItsTime() {
        broker.enqueue(List.of(new OutgoingJob("q", "later", new byte[] {1}, clock.millis() + 5000)));
        assertTrue(reserve("q", 1).isEmpty());
        clock.advance(Duration.ofMillis(4999));
        assertTrue(reserve("q", 1).isEmpty());
        clock.advance(Duration.ofMillis(1));
        assertEquals("later", reserve("q", 1).get(0).id());
    }

    @Test
    void housekeepingPromotesDueDelayedJobs() {
        broker.enqueue(List.of(new OutgoingJob("q", "later", new byte[] {1}, clock.millis() + 1000)));
        assertEquals(0, broker.housekeep(List.of("q")).promoted());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, broker.housekeep(List.of("q")).promoted());
        assertEquals(1, broker.stats("q").ready());
    }

    @Test
    void buryMovesTheJobToTheDeadLetterWithItsReason() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = reserve("q", 1).get(0);
        assertTrue(broker.bury(d, "bad things"));
        assertEquals(new QueueStats("q", 0, 0, 0, 1), broker.stats("q"));
        List<DeadJob> dead = broker.deadJobs("q", 0, 10);
        assertEquals(1, dead.size());
        assertEquals("a", dead.get(0).id());
        assertEquals("bad things", dead.get(0).lastError());
        assertEquals(1, dead.get(0).attempts());
        assertEquals(clock.millis(), dead.get(0).diedAt().toEpochMilli());
        assertArrayEquals("payload-a".getBytes(StandardCharsets.UTF_8), dead.get(0).payload());
    }

    @Test
    void aRetriedDeadJobRunsAgainFromAttemptOne() {
        broker.enqueue(List.of(job("q", "a")));
        broker.bury(reserve("q", 1).get(0), "x");
        assertTrue(broker.retryDead("q", "a"));
        assertFalse(broker.retryDead("q", "a"));
        Delivery again = reserve("q", 1).get(0);
        assertEquals(1, again.attempt());
        assertEquals(0, broker.stats("q").dead());
    }

    @Test
    void aDeletedDeadJobIsGoneForGood() {
        broker.enqueue(List.of(job("q", "a")));
        broker.bury(reserve("q", 1).get(0), "x");
        assertTrue(broker.deleteDead("q", "a"));
        assertFalse(broker.deleteDead("q", "a"));
        assertEquals(new QueueStats("q", 0, 0, 0, 0), broker.stats("q"));
        assertTrue(broker.deadJobs("q", 0, 10).isEmpty());
        assertFalse(broker.queues().contains("q"));
    }

    @Test
    void theDeadLetterIsTrimmedToItsCapOldestFirst() {
        broker.close();
        broker = open(BrokerOptions.builder().clock(clock).maxDeadPerQueue(2).build());
        broker.enqueue(List.of(job("q", "a"), job("q", "b"), job("q", "c")));
        for (Delivery d : reserve("q", 3)) {
            clock.advance(Duration.ofMillis(1));
            broker.bury(d, "x");
        }
        assertEquals(List.of("b", "c"), broker.deadJobs("q", 0, 10).stream().map(DeadJob::id).toList());
    }

    @Test
    void releasePutsTheJobBackInFrontWithoutCountingTheAttempt() {
        broker.enqueue(List.of(job("q", "a"), job("q", "b")));
        Delivery a = reserve("q", 1).get(0);
        assertTrue(broker.release(a));
        Delivery again = reserve("q", 1).get(0);
        assertEquals("a", again.id());
        assertEquals(1, again.attempt());
    }

    @Test
    void queuesListsEveryQueueHoldingJobs() {
        broker.enqueue(List.of(job("alpha", "1"), job("beta", "2")));
        assertTrue(broker.queues().containsAll(List.of("alpha", "beta")));
    }

    @Test
    void awaitWorkWakesWhenAJobArrives() throws Exception {
        CompletableFuture<Boolean> woke = CompletableFuture.supplyAsync(() -> broker.awaitWork(List.of("q"), Duration.ofSeconds(5)));
        // the waiter may or may not be blocked yet: either way the job's wake token reaches it
        broker.enqueue(List.of(job("q", "a")));
        assertTrue(woke.get(4, TimeUnit.SECONDS));
    }

    @Test
    void aDelayedJobOrARetryWakesAWaiterSoItLearnsTheNewDueTime() throws Exception {
        CompletableFuture<Boolean> woke = CompletableFuture.supplyAsync(() -> broker.awaitWork(List.of("q"), Duration.ofSeconds(5)));
        broker.enqueue(List.of(new OutgoingJob("q", "later", new byte[] {1}, clock.millis() + 60_000)));
        assertTrue(woke.get(4, TimeUnit.SECONDS));
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        CompletableFuture<Boolean> again = CompletableFuture.supplyAsync(() -> broker.awaitWork(List.of("q"), Duration.ofSeconds(5)));
        assertTrue(broker.retry(d, clock.millis() + 1000, "boom"));
        assertTrue(again.get(4, TimeUnit.SECONDS));
    }

    @Test
    void awaitWorkTimesOutWhenNothingArrives() {
        long start = System.nanoTime();
        assertFalse(broker.awaitWork(List.of("q"), Duration.ofMillis(200)));
        assertTrue(System.nanoTime() - start >= 150_000_000L);
    }

    @Test
    void interruptWaitEndsABlockedWait() throws Exception {
        CompletableFuture<Boolean> woke = CompletableFuture.supplyAsync(() -> broker.awaitWork(List.of("q"), Duration.ofSeconds(30)));
        broker.interruptWait();
        assertFalse(woke.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aJobWithoutPayloadIsDeliveredWithNullPayload() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = reserve("q", 1).get(0);
        assertTrue(broker.bury(d, "x"));
        assertTrue(broker.deleteDead("q", "a"));
        assertNull(broker.deadJobs("q", 0, 1).stream().findFirst().orElse(null));
        assertThrows(IllegalArgumentException.class, () -> broker.deadJobs("q", -1, 1));
    }
}
