package io.tasque.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.testkit.ManualClock;
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
 * it on a fresh, empty server; time moves through a {@link ManualClock}, never by sleeping.
 *
 * <p>Tests use the ids {@link Broker#enqueue} returns (a broker may assign its own) and find dead jobs by
 * listing them. They are protected so that a broker whose server keeps its own time (Disque) can replace a
 * clock-driven test with a real-time version, or skip one it cannot support, with the reason.
 */
public abstract class BrokerContract {

    protected static final Duration LEASE = Duration.ofSeconds(30);

    protected ManualClock clock;
    protected Broker broker;

    /** Opens the broker under test on an empty server, with these options. */
    protected abstract Broker open(BrokerOptions options);

    @BeforeEach
    void openBroker() {
        clock = ManualClock.startingNow();
        broker = open(BrokerOptions.builder().clock(clock).commandTimeout(Duration.ofSeconds(5)).build());
    }

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    protected static OutgoingJob job(String queue, String id) {
        return new OutgoingJob(queue, id, ("payload-" + id).getBytes(StandardCharsets.UTF_8), 0);
    }

    /**
     * One housekeeping pass, for a broker with the {@link Housekeeper} capability; a broker without it (its server
     * does this itself) must replace every test that calls this.
     */
    protected Housekeeping housekeep(String... queues) {
        Housekeeper h = broker.capability(Housekeeper.class).orElseThrow(() -> new AssertionError(broker.describe()
                + " has no Housekeeper capability: its contract must replace the tests that sweep"));
        return h.housekeep(List.of(queues));
    }

    /** The run totals, for a broker with {@link JobCounters}; a broker without it must replace the tests that count. */
    protected JobCounters counters() {
        return broker.capability(JobCounters.class).orElseThrow(() -> new AssertionError(broker.describe()
                + " has no JobCounters capability: its contract must replace the tests that count runs"));
    }

    @Test
    protected void everyEndedRunIsCountedOnceAsCompletedOrFailed() {
        assertEquals(new JobTotals("q", 0, 0), counters().totals("q"));
        broker.enqueue(List.of(job("q", "a"), job("q", "b"), job("q", "c"), job("q", "d"), job("q", "e")));
        List<Delivery> got = reserve("q", 5);
        assertArrayEquals(new boolean[] {true, true}, broker.ack(got.subList(0, 2)));
        assertArrayEquals(new boolean[] {false}, broker.ack(got.subList(0, 1)), "a repeated ack");
        assertTrue(broker.retry(got.get(2), clock.millis() + 60_000, "boom"));
        assertTrue(broker.bury(got.get(3), "dead"));
        assertFalse(broker.bury(got.get(3), "dead again"));
        assertFalse(broker.retry(got.get(2), clock.millis() + 60_000, "a stale retry"));
        assertEquals(new JobTotals("q", 2, 2), counters().totals("q"));

        Reservation r = AckingReserve.of(broker).reserve(List.of("q"), 1, LEASE, List.of(got.get(4), got.get(4)));
        assertArrayEquals(new boolean[] {true, false}, r.acked());
        assertEquals(new JobTotals("q", 3, 2), counters().totals("q"), "an ack riding on a reserve counts once");
        assertEquals(new JobTotals("other", 0, 0), counters().totals("other"));
    }

    protected List<Delivery> reserve(String queue, int max) {
        return broker.reserve(List.of(queue), max, LEASE).deliveries();
    }

    @Test
    protected void anEnqueuedJobIsLeasedOnceWithAttemptOneAndItsPayload() {
        String a = broker.enqueue(List.of(job("q", "a"))).get(0);
        List<Delivery> got = reserve("q", 10);
        assertEquals(1, got.size());
        Delivery d = got.get(0);
        assertEquals(a, d.id());
        assertEquals("q", d.queue());
        assertEquals(1, d.attempt());
        assertEquals(0, d.leaseExpiries());
        assertArrayEquals("payload-a".getBytes(StandardCharsets.UTF_8), d.payload());
        assertTrue(reserve("q", 10).isEmpty());
        assertEquals(new QueueStats("q", 0, 0, 1, 0), broker.stats("q"));
    }

    @Test
    protected void reserveTakesNoMoreThanAskedInFifoOrder() {
        List<OutgoingJob> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(job("q", "j" + i));
        }
        List<String> ids = broker.enqueue(jobs);
        List<Delivery> first = reserve("q", 3);
        assertEquals(ids.subList(0, 3), first.stream().map(Delivery::id).toList());
        assertEquals(ids.subList(3, 5), reserve("q", 3).stream().map(Delivery::id).toList());
    }

    @Test
    protected void largeBatchesAreStoredLeasedAndAckedWhole() {
        List<OutgoingJob> jobs = new ArrayList<>();
        for (int i = 0; i < 1234; i++) {
            jobs.add(job("big", "j" + i));
        }
        List<String> ids = broker.enqueue(jobs);
        assertEquals(1234, ids.size());
        List<Delivery> got = broker.reserve(List.of("big"), 2000, LEASE).deliveries();
        assertEquals(1234, got.size());
        assertEquals(ids.get(1233), got.get(1233).id());
        assertArrayEquals("payload-j1233".getBytes(StandardCharsets.UTF_8), got.get(1233).payload());
        boolean[] held = broker.extend(got, LEASE);
        boolean[] acked = broker.ack(got);
        for (int i = 0; i < got.size(); i++) {
            assertTrue(held[i] && acked[i], "job " + i);
        }
        assertEquals(new QueueStats("big", 0, 0, 0, 0), broker.stats("big"));
    }

    @Test
    protected void reserveServesSeveralQueuesInOneCall() {
        broker.enqueue(List.of(job("a", "1"), job("b", "2"), job("c", "3")));
        List<Delivery> got = broker.reserve(List.of("a", "b", "c"), 10, LEASE).deliveries();
        assertEquals(3, got.size());
        assertEquals(List.of("a", "b", "c"), got.stream().map(Delivery::queue).sorted().toList());
    }

    @Test
    protected void enqueueIsIdempotentByJobId() {
        broker.enqueue(List.of(job("q", "same")));
        broker.enqueue(List.of(job("q", "same")));
        assertEquals(1, broker.stats("q").ready());
    }

    /** A job whose id the caller chose, which stays taken for {@code uniqueFor} after it succeeded. */
    protected static OutgoingJob chosen(String queue, String id, long dueAtMillis, Duration uniqueFor) {
        return new OutgoingJob(queue, id, ("payload-" + id).getBytes(StandardCharsets.UTF_8), dueAtMillis, uniqueFor.toMillis());
    }

    /** The broker's {@link JobLookup}; a broker without it must replace every test that calls this. */
    protected JobLookup lookup() {
        return broker.capability(JobLookup.class).orElseThrow(() -> new AssertionError(broker.describe()
                + " has no JobLookup capability: its contract must replace the tests that look jobs up"));
    }

    private static final Duration DAY = Duration.ofHours(24);

    @Test
    protected void aChosenIdIsStoredOnceWhileItsJobIsReadyDelayedRunningOrDead() {
        assertEquals(List.of("r"), broker.enqueue(List.of(chosen("q", "r", 0, DAY))));
        assertEquals(List.of("r"), broker.enqueue(List.of(chosen("q", "r", 0, DAY))));
        assertEquals(new QueueStats("q", 1, 0, 0, 0), broker.stats("q"));

        broker.enqueue(List.of(chosen("q", "d", clock.millis() + 60_000, DAY)));
        assertEquals(List.of("d"), broker.enqueue(List.of(chosen("q", "d", 0, DAY))));
        assertEquals(new QueueStats("q", 1, 1, 0, 0), broker.stats("q"));

        Delivery running = reserve("q", 1).get(0);
        assertEquals("r", running.id());
        broker.enqueue(List.of(chosen("q", "r", 0, DAY)));
        assertEquals(new QueueStats("q", 0, 1, 1, 0), broker.stats("q"));

        assertTrue(broker.bury(running, "boom"));
        broker.enqueue(List.of(chosen("q", "r", 0, DAY)));
        assertEquals(new QueueStats("q", 0, 1, 0, 1), broker.stats("q"));
        assertTrue(reserve("q", 1).isEmpty(), "the repeat of a dead job's id stored nothing to run");
    }

    @Test
    protected void aChosenIdStaysTakenForItsWindowAfterSuccessThenIsFreeAgain() {
        broker.enqueue(List.of(chosen("q", "once", 0, Duration.ofMinutes(10))));
        assertArrayEquals(new boolean[] {true}, broker.ack(reserve("q", 1)));

        clock.advance(Duration.ofMinutes(9));
        assertEquals(List.of("once"), broker.enqueue(List.of(chosen("q", "once", 0, Duration.ofMinutes(10)))));
        assertEquals(new QueueStats("q", 0, 0, 0, 0), broker.stats("q"));

        clock.advance(Duration.ofMinutes(2));
        housekeep("q");
        broker.enqueue(List.of(chosen("q", "once", 0, Duration.ofMinutes(10))));
        assertEquals(new QueueStats("q", 1, 0, 0, 0), broker.stats("q"));
        assertEquals(1, reserve("q", 1).get(0).attempt());
    }

    @Test
    protected void aChosenIdWithoutAWindowAndAMadeIdAreFreeAsSoonAsTheirJobSucceeded() {
        broker.enqueue(List.of(chosen("q", "zero", 0, Duration.ZERO), job("q", "made")));
        assertArrayEquals(new boolean[] {true, true}, broker.ack(reserve("q", 2)));
        broker.enqueue(List.of(chosen("q", "zero", 0, Duration.ZERO), job("q", "made")));
        assertEquals(new QueueStats("q", 2, 0, 0, 0), broker.stats("q"));
    }

    @Test
    protected void aChosenIdRepeatedInOneCallIsStoredOnceWithTheFirstPayload() {
        OutgoingJob first = chosen("q", "twice", 0, DAY);
        OutgoingJob second = new OutgoingJob("q", "twice", "other".getBytes(StandardCharsets.UTF_8), 0, DAY.toMillis());
        assertEquals(List.of("twice", "a", "twice"), broker.enqueue(List.of(first, chosen("q", "a", 0, DAY), second)));
        assertEquals(new QueueStats("q", 2, 0, 0, 0), broker.stats("q"));
        List<Delivery> got = reserve("q", 3);
        assertEquals(List.of("twice", "a"), got.stream().map(Delivery::id).toList());
        assertArrayEquals(first.payload(), got.get(0).payload());
    }

    @Test
    protected void aLookupFollowsAJobFromReadyToRunningToSucceeded() {
        broker.enqueue(List.of(chosen("q", "life", 0, DAY)));
        StoredJob ready = lookup().job("q", "life").orElseThrow();
        assertEquals(StoredJob.State.READY, ready.state());
        assertEquals(0, ready.attempt());
        assertArrayEquals(chosen("q", "life", 0, DAY).payload(), ready.payload());
        assertNull(ready.lastError());

        Delivery d = reserve("q", 1).get(0);
        StoredJob running = lookup().job("q", "life").orElseThrow();
        assertEquals(StoredJob.State.RUNNING, running.state());
        assertEquals(1, running.attempt());
        assertEquals(clock.millis() + LEASE.toMillis(), running.atMillis());

        assertTrue(broker.ack(List.of(d))[0]);
        StoredJob done = lookup().job("q", "life").orElseThrow();
        assertEquals(StoredJob.State.SUCCEEDED, done.state());
        assertEquals(clock.millis() + DAY.toMillis(), done.atMillis());

        clock.advance(DAY.plusSeconds(1));
        assertTrue(lookup().job("q", "life").isEmpty(), "the done record ends with the window");
        assertTrue(lookup().job("q", "never").isEmpty());
        assertTrue(lookup().job("nothing-here", "life").isEmpty());
    }

    @Test
    protected void aLookupShowsADelayedJobsDueTimeAndADeadJobsLastError() {
        long due = clock.millis() + 60_000;
        broker.enqueue(List.of(chosen("q", "later", due, DAY), job("q", "fails")));
        StoredJob delayed = lookup().job("q", "later").orElseThrow();
        assertEquals(StoredJob.State.DELAYED, delayed.state());
        assertEquals(due, delayed.atMillis());

        Delivery d = reserve("q", 1).get(0);
        assertTrue(broker.retry(d, clock.millis(), "first failure"));
        StoredJob retrying = lookup().job("q", "fails").orElseThrow();
        assertEquals(StoredJob.State.DELAYED, retrying.state());
        assertEquals(1, retrying.attempt());
        assertEquals("first failure", retrying.lastError());

        Delivery again = reserve("q", 1).get(0);
        assertEquals("fails", again.id());
        assertTrue(broker.bury(again, "gave up"));
        StoredJob dead = lookup().job("q", "fails").orElseThrow();
        assertEquals(StoredJob.State.DEAD, dead.state());
        assertEquals(2, dead.attempt());
        assertEquals("gave up", dead.lastError());
        assertArrayEquals(job("q", "fails").payload(), dead.payload());
    }

    @Test
    protected void jobsListsAQueuesJobsInOneStateUpToTheLimit() {
        List<OutgoingJob> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(chosen("q", "r" + i, 0, DAY));
        }
        for (int i = 0; i < 3; i++) {
            jobs.add(chosen("q", "d" + i, clock.millis() + 60_000 + i, DAY));
        }
        broker.enqueue(jobs);
        assertEquals(List.of("r0", "r1", "r2"), ids(lookup().jobs("q", StoredJob.State.READY, 3)));
        assertEquals(List.of("d0", "d1", "d2"), ids(lookup().jobs("q", StoredJob.State.DELAYED, 10)));

        List<Delivery> got = reserve("q", 3);
        assertEquals(List.of("r0", "r1", "r2"), ids(lookup().jobs("q", StoredJob.State.RUNNING, 10)).stream().sorted().toList());
        assertEquals(List.of("r3", "r4"), ids(lookup().jobs("q", StoredJob.State.READY, 10)));
        assertTrue(broker.bury(got.get(0), "dead"));
        broker.ack(got.subList(1, 3));
        assertEquals(List.of("r0"), ids(lookup().jobs("q", StoredJob.State.DEAD, 10)));
        assertEquals(1, lookup().jobs("q", StoredJob.State.SUCCEEDED, 1).size());
        assertEquals(List.of("r1", "r2"), ids(lookup().jobs("q", StoredJob.State.SUCCEEDED, 10)).stream().sorted().toList());
        for (StoredJob j : lookup().jobs("q", StoredJob.State.SUCCEEDED, 10)) {
            assertEquals(StoredJob.State.SUCCEEDED, j.state());
        }
        assertEquals(List.of(), lookup().jobs("q", StoredJob.State.READY, 0));
        assertEquals(List.of(), lookup().jobs("empty", StoredJob.State.READY, 10));
    }

    /** The broker's {@link Cancelling}; a broker without it must replace every test that calls this. */
    protected Cancelling cancelling() {
        return broker.capability(Cancelling.class).orElseThrow(() -> new AssertionError(broker.describe()
                + " has no Cancelling capability: its contract must replace the tests that cancel"));
    }

    @Test
    protected void aReadyOrDelayedJobIsDeletedByItsCancelAndReportedCancelled() {
        broker.enqueue(List.of(chosen("q", "r", 0, DAY), chosen("q", "d", clock.millis() + 60_000, DAY), job("q", "keep")));
        long at = clock.millis();
        assertTrue(cancelling().cancel("q", "r"));
        assertTrue(cancelling().cancel("q", "d"));
        assertEquals(new QueueStats("q", 1, 0, 0, 0), broker.stats("q"));
        assertFalse(cancelling().cancel("q", "r"), "a second cancel finds nothing to cancel");
        assertFalse(cancelling().cancel("q", "unknown"));
        assertFalse(cancelling().cancel("no-such-queue", "r"));

        StoredJob r = lookup().job("q", "r").orElseThrow();
        assertEquals(StoredJob.State.CANCELLED, r.state());
        assertEquals(at, r.atMillis());
        assertEquals(List.of("d", "r"), ids(lookup().jobs("q", StoredJob.State.CANCELLED, 10)).stream().sorted().toList());

        clock.advance(Duration.ofMinutes(2));
        housekeep("q");
        assertEquals(List.of("keep"), reserve("q", 10).stream().map(Delivery::id).toList(), "the cancelled jobs never run, delayed one included");

        broker.enqueue(List.of(chosen("q", "r", 0, DAY)));
        assertEquals(StoredJob.State.READY, lookup().job("q", "r").orElseThrow().state(), "a cancelled id can be submitted again");

        clock.advance(DAY);
        housekeep("q");
        assertTrue(lookup().job("q", "d").isEmpty(), "the record of a cancel ends after a day");
    }

    @Test
    protected void aRunningJobsCancelEndsItsRunAsCancelledWhateverTheRunReports() {
        broker.enqueue(List.of(chosen("q", "a", 0, DAY), job("q", "b"), job("q", "c"), job("q", "e"), job("q", "other")));
        List<Delivery> runs = reserve("q", 5);
        for (int i = 0; i < 4; i++) {
            assertTrue(cancelling().cancel("q", runs.get(i).id()), runs.get(i).id());
        }
        assertFalse(cancelling().cancel("q", "a"), "a cancel is pending already");
        assertArrayEquals(new boolean[] {true, true, true, true, false}, cancelling().cancelRequested(runs));

        StoredJob a = lookup().job("q", "a").orElseThrow();
        assertEquals(StoredJob.State.CANCELLED, a.state());
        assertArrayEquals(chosen("q", "a", 0, DAY).payload(), a.payload(), "the job is held until its run ends");
        assertEquals(List.of("a"), broker.enqueue(List.of(chosen("q", "a", 0, DAY))));
        assertEquals(new QueueStats("q", 0, 0, 5, 0), broker.stats("q"), "its id stays taken while the run goes on");

        assertArrayEquals(new boolean[] {false}, broker.ack(List.of(runs.get(0))), "an ack cannot bring it back");
        assertFalse(broker.retry(runs.get(1), clock.millis(), "interrupted"), "not retried");
        assertFalse(broker.bury(runs.get(2), "interrupted"), "not dead-lettered");
        assertFalse(broker.release(runs.get(3)), "not put back");
        assertArrayEquals(new boolean[] {true}, broker.ack(List.of(runs.get(4))));

        assertEquals(new QueueStats("q", 0, 0, 0, 0), broker.stats("q"));
        clock.advance(Duration.ofMinutes(5));
        housekeep("q");
        assertTrue(reserve("q", 10).isEmpty(), "nothing runs again");
        for (int i = 0; i < 4; i++) {
            StoredJob j = lookup().job("q", runs.get(i).id()).orElseThrow();
            assertEquals(StoredJob.State.CANCELLED, j.state(), runs.get(i).id());
            assertNull(j.payload());
        }
        broker.enqueue(List.of(chosen("q", "a", 0, DAY)));
        assertEquals(1, reserve("q", 1).get(0).attempt(), "once its run ended, a cancelled id is free again");
    }

    @Test
    protected void aCancelledRunWhoseWorkerDiedEndsWhenItsLeaseRunsOut() {
        broker.enqueue(List.of(job("q", "lost")));
        Delivery d = reserve("q", 1).get(0);
        assertTrue(cancelling().cancel("q", d.id()));
        clock.advance(LEASE.plusSeconds(1));
        housekeep("q");
        assertEquals(new QueueStats("q", 0, 0, 0, 0), broker.stats("q"));
        assertTrue(reserve("q", 1).isEmpty(), "the job is not handed to another worker");
        assertEquals(StoredJob.State.CANCELLED, lookup().job("q", d.id()).orElseThrow().state());
        assertArrayEquals(new boolean[] {false}, broker.ack(List.of(d)));
    }

    @Test
    protected void aCancelAfterTheAckFindsTheJobFinishedAndADeadJobIsNotCancelled() {
        broker.enqueue(List.of(chosen("q", "done", 0, DAY), job("q", "dead")));
        List<Delivery> runs = reserve("q", 2);
        assertArrayEquals(new boolean[] {true}, broker.ack(List.of(runs.get(0))));
        assertTrue(broker.bury(runs.get(1), "gave up"));
        assertFalse(cancelling().cancel("q", "done"));
        assertFalse(cancelling().cancel("q", "dead"));
        assertEquals(StoredJob.State.SUCCEEDED, lookup().job("q", "done").orElseThrow().state());
        assertEquals(StoredJob.State.DEAD, lookup().job("q", "dead").orElseThrow().state());
        assertArrayEquals(new boolean[] {false}, cancelling().cancelRequested(List.of(runs.get(0))));
    }

    @Test
    protected void aCancelledRunsAckCarriedByTheNextReserveEndsItToo() {
        broker.enqueue(List.of(job("q", "x"), job("q", "y")));
        Delivery x = reserve("q", 1).get(0);
        assertTrue(cancelling().cancel("q", x.id()));
        Reservation r = AckingReserve.of(broker).reserve(List.of("q"), 1, LEASE, List.of(x));
        assertArrayEquals(new boolean[] {false}, r.acked());
        assertEquals("y", r.deliveries().get(0).id());
        assertEquals(StoredJob.State.CANCELLED, lookup().job("q", x.id()).orElseThrow().state());
        assertEquals(new QueueStats("q", 0, 0, 1, 0), broker.stats("q"));
    }

    private static List<String> ids(List<StoredJob> jobs) {
        return jobs.stream().map(StoredJob::id).toList();
    }

    @Test
    protected void enqueueNewStoresEveryJob() {
        List<OutgoingJob> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            jobs.add(job(i % 3 == 0 ? "a" : "b", io.tasque.JobIds.next()));
        }
        assertEquals(1500, EnqueueNew.of(broker).enqueueNew(jobs).size());
        assertEquals(500, broker.stats("a").ready());
        assertEquals(1000, broker.stats("b").ready());
    }

    @Test
    protected void ackRemovesTheJobForGood() {
        broker.enqueue(List.of(job("q", "a"), job("q", "b")));
        List<Delivery> got = reserve("q", 2);
        assertArrayEquals(new boolean[] {true, true}, broker.ack(got));
        assertEquals(new QueueStats("q", 0, 0, 0, 0), broker.stats("q"));
        assertArrayEquals(new boolean[] {false}, broker.ack(List.of(got.get(0))));
    }

    @Test
    protected void reserveCanAckFinishedJobsInTheSameCall() {
        List<String> ids = broker.enqueue(List.of(job("q", "a"), job("q", "b"), job("other", "c")));
        Delivery a = reserve("q", 1).get(0);
        Delivery c = broker.reserve(List.of("other"), 1, LEASE).deliveries().get(0);
        Reservation r = AckingReserve.of(broker).reserve(List.of("q"), 5, LEASE, List.of(a, c, a));
        assertArrayEquals(new boolean[] {true, true, false}, r.acked());
        assertEquals(List.of(ids.get(1)), r.deliveries().stream().map(Delivery::id).toList());
        assertEquals(new QueueStats("q", 0, 0, 1, 0), broker.stats("q"));
        assertEquals(new QueueStats("other", 0, 0, 0, 0), broker.stats("other"));
    }

    @Test
    protected void anExpiredLeaseIsReclaimedAndTheStaleOwnerIsFencedOut() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery stale = broker.reserve(List.of("q"), 1, Duration.ofSeconds(1)).deliveries().get(0);
        clock.advance(Duration.ofSeconds(2));
        assertEquals(1, housekeep("q").reclaimed());
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
    protected void theStaleOwnerCannotAckBetweenReclaimAndRedelivery() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery stale = broker.reserve(List.of("q"), 1, Duration.ofSeconds(1)).deliveries().get(0);
        clock.advance(Duration.ofSeconds(2));
        housekeep("q");
        assertArrayEquals(new boolean[] {false}, broker.ack(List.of(stale)));
        assertEquals(1, broker.stats("q").ready());
    }

    @Test
    protected void extendingALeaseKeepsTheJobFromBeingReclaimed() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = broker.reserve(List.of("q"), 1, Duration.ofSeconds(1)).deliveries().get(0);
        clock.advance(Duration.ofMillis(800));
        assertArrayEquals(new boolean[] {true}, broker.extend(List.of(d), Duration.ofSeconds(1)));
        clock.advance(Duration.ofMillis(800));
        assertEquals(0, housekeep("q").reclaimed());
        clock.advance(Duration.ofMillis(400));
        assertEquals(1, housekeep("q").reclaimed());
    }

    @Test
    protected void aRetriedJobComesBackWhenDueWithTheNextAttemptAndItsError() {
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
    protected void aDelayedJobIsNotLeasedBeforeItsTime() {
        broker.enqueue(List.of(new OutgoingJob("q", "later", new byte[] {1}, clock.millis() + 5000)));
        assertTrue(reserve("q", 1).isEmpty());
        clock.advance(Duration.ofMillis(4999));
        assertTrue(reserve("q", 1).isEmpty());
        clock.advance(Duration.ofMillis(1));
        assertEquals("later", reserve("q", 1).get(0).id());
    }

    @Test
    protected void housekeepingPromotesDueDelayedJobs() {
        broker.enqueue(List.of(new OutgoingJob("q", "later", new byte[] {1}, clock.millis() + 1000)));
        assertEquals(0, housekeep("q").promoted());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, housekeep("q").promoted());
        assertEquals(1, broker.stats("q").ready());
    }

    @Test
    protected void buryMovesTheJobToTheDeadLetterWithItsReason() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = reserve("q", 1).get(0);
        assertTrue(broker.bury(d, "bad things"));
        assertEquals(new QueueStats("q", 0, 0, 0, 1), broker.stats("q"));
        List<DeadJob> dead = broker.deadJobs("q", 0, 10);
        assertEquals(1, dead.size());
        assertEquals("q", dead.get(0).queue());
        assertEquals("bad things", dead.get(0).lastError());
        assertEquals(1, dead.get(0).attempts());
        assertEquals(clock.millis(), dead.get(0).diedAt().toEpochMilli());
        assertArrayEquals("payload-a".getBytes(StandardCharsets.UTF_8), dead.get(0).payload());
    }

    @Test
    protected void aRetriedDeadJobRunsAgainFromAttemptOne() {
        broker.enqueue(List.of(job("q", "a")));
        broker.bury(reserve("q", 1).get(0), "x");
        String dead = broker.deadJobs("q", 0, 1).get(0).id();
        assertTrue(broker.retryDead("q", dead));
        assertFalse(broker.retryDead("q", dead));
        Delivery again = reserve("q", 1).get(0);
        assertEquals(1, again.attempt());
        assertEquals(0, broker.stats("q").dead());
    }

    @Test
    protected void aDeadJobRetriedWithANewPayloadRunsWithItFromAttemptOne() {
        broker.enqueue(List.of(job("q", "a")));
        broker.bury(reserve("q", 1).get(0), "x");
        String dead = broker.deadJobs("q", 0, 1).get(0).id();
        DeadJob found = broker.deadJob("q", dead);
        assertArrayEquals("payload-a".getBytes(StandardCharsets.UTF_8), found.payload());
        assertEquals("x", found.lastError());
        assertNull(broker.deadJob("q", dead + "-none"));
        byte[] renewed = "payload-a-renewed".getBytes(StandardCharsets.UTF_8);
        String runsAs = broker.retryDead("q", dead, renewed);
        assertTrue(runsAs != null);
        assertNull(broker.retryDead("q", dead, renewed), "no longer dead: nothing swapped");
        Delivery again = reserve("q", 1).get(0);
        assertEquals(runsAs, again.id());
        assertEquals(1, again.attempt());
        assertArrayEquals(renewed, again.payload());
        assertNull(broker.deadJob("q", dead));
    }

    @Test
    protected void aDeletedDeadJobIsGoneForGood() {
        broker.enqueue(List.of(job("q", "a")));
        broker.bury(reserve("q", 1).get(0), "x");
        String dead = broker.deadJobs("q", 0, 1).get(0).id();
        assertTrue(broker.deleteDead("q", dead));
        assertFalse(broker.deleteDead("q", dead));
        assertEquals(new QueueStats("q", 0, 0, 0, 0), broker.stats("q"));
        assertTrue(broker.deadJobs("q", 0, 10).isEmpty());
        assertFalse(broker.queues().contains("q"));
    }

    @Test
    protected void theDeadLetterIsTrimmedToItsCapOldestFirst() {
        broker.close();
        broker = open(BrokerOptions.builder().clock(clock).maxDeadPerQueue(2).build());
        broker.enqueue(List.of(job("q", "a"), job("q", "b"), job("q", "c")));
        for (Delivery d : reserve("q", 3)) {
            clock.advance(Duration.ofMillis(1));
            broker.bury(d, "x");
        }
        assertEquals(List.of("payload-b", "payload-c"), broker.deadJobs("q", 0, 10).stream()
                .map(d -> new String(d.payload(), StandardCharsets.UTF_8)).toList());
    }

    @Test
    protected void releasePutsTheJobBackInFrontWithoutCountingTheAttempt() {
        String first = broker.enqueue(List.of(job("q", "a"), job("q", "b"))).get(0);
        Delivery a = reserve("q", 1).get(0);
        assertTrue(broker.release(a));
        Delivery again = reserve("q", 1).get(0);
        assertEquals(first, again.id());
        assertEquals(1, again.attempt());
    }

    @Test
    protected void queuesListsEveryQueueHoldingJobs() {
        broker.enqueue(List.of(job("alpha", "1"), job("beta", "2")));
        assertTrue(broker.queues().containsAll(List.of("alpha", "beta")));
    }

    @Test
    protected void awaitWorkWakesWhenAJobArrives() throws Exception {
        CompletableFuture<Boolean> woke = CompletableFuture.supplyAsync(() -> broker.awaitWork(List.of("q"), Duration.ofSeconds(5)));
        // the waiter may or may not be blocked yet: either way the job's wake token reaches it
        broker.enqueue(List.of(job("q", "a")));
        assertTrue(woke.get(4, TimeUnit.SECONDS));
    }

    @Test
    protected void aDelayedJobOrARetryWakesAWaiterSoItLearnsTheNewDueTime() throws Exception {
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
    protected void awaitWorkTimesOutWhenNothingArrives() {
        long start = System.nanoTime();
        assertFalse(broker.awaitWork(List.of("q"), Duration.ofMillis(200)));
        assertTrue(System.nanoTime() - start >= 150_000_000L);
    }

    @Test
    protected void interruptWaitEndsABlockedWait() throws Exception {
        CompletableFuture<Boolean> woke = CompletableFuture.supplyAsync(() -> broker.awaitWork(List.of("q"), Duration.ofSeconds(30)));
        broker.interruptWait();
        assertFalse(woke.get(5, TimeUnit.SECONDS));
    }

    @Test
    protected void aJobWithoutPayloadIsDeliveredWithNullPayload() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = reserve("q", 1).get(0);
        assertTrue(broker.bury(d, "x"));
        assertTrue(broker.deleteDead("q", broker.deadJobs("q", 0, 1).get(0).id()));
        assertNull(broker.deadJobs("q", 0, 1).stream().findFirst().orElse(null));
        assertThrows(IllegalArgumentException.class, () -> broker.deadJobs("q", -1, 1));
    }
}
