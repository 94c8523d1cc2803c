package io.tasque.broker.disque;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerContract;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.Delivery;
import io.tasque.broker.Housekeeper;
import io.tasque.broker.JobCounters;
import io.tasque.broker.OutgoingJob;
import io.tasque.broker.QueueStats;
import io.tasque.codec.Envelope;
import io.tasque.codec.TaskCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The broker contract on Disque, plus what is specific to Disque. Disque keeps time itself (leases, delays,
 * requeues), so the contract's clock-driven tests are replaced here by real-time versions that wait with a
 * short lease; the one contract rule Disque cannot keep is skipped with its reason. Subclasses say where
 * Disque runs: one node, or a cluster.
 */
abstract class DisqueContract extends BrokerContract {

    /** Lease (Disque's RETRY) of the brokers in the real-time tests; Disque requeues within ±250 ms of it. */
    static final Duration SHORT_LEASE = Duration.ofSeconds(2);

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Why the contract's tests of caller-chosen ids and lookups do not run here. */
    private static final String CALLER_IDS = "Disque assigns every job its id (ADDJOB), so it refuses caller-chosen ids"
            + " (see DisqueBrokerOfflineTest) and has no JobLookup";
    /** Why the contract's tests of cancels do not run here. */
    private static final String NO_CANCEL = "the Disque broker has no Cancelling: a running job's cancel could not reach its"
            + " worker, so TasqueClient.cancel refuses it (see DisqueBrokerOfflineTest)";
    private final List<Broker> extra = new ArrayList<>();

    /** Where Disque runs for this test class. */
    protected abstract DisqueDeployment deployment();

    /** Disque options of every broker the tests open. */
    protected DisqueOptions disqueOptions() {
        return DisqueOptions.defaults();
    }

    @Override
    protected Broker open(BrokerOptions options) {
        deployment().flush();
        return new DisqueBroker(BrokerUri.parse(deployment().uri()), options, disqueOptions());
    }

    /** Another broker on the same Disque, with its own lease; closed after the test. */
    protected DisqueBroker withLease(Duration lease) {
        DisqueBroker b = new DisqueBroker(BrokerUri.parse(deployment().uri()), BrokerOptions.builder().clock(clock).build(),
                disqueOptions().toBuilder().lease(lease).build());
        extra.add(b);
        return b;
    }

    @AfterEach
    void closeExtraBrokers() {
        extra.forEach(Broker::close);
        extra.clear();
    }

    /** Reserves one job of {@code queue}, waiting as a worker's fetcher does (blocking GETJOB) for at most {@code within}. */
    protected static Delivery reserveWithin(Broker b, String queue, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            List<Delivery> got = b.reserve(List.of(queue), 1, LEASE).deliveries();
            if (!got.isEmpty()) {
                return got.get(0);
            }
            b.awaitWork(List.of(queue), Duration.ofMillis(500));
        }
        return fail("no job of queue '" + queue + "' within " + within);
    }

    private Jedis currentNode(Broker b) {
        return DisqueDeployment.connect(((DisqueBroker) b).currentNode().addressKey());
    }

    // ---- the contract's clock-driven tests, in real time -------------------------------------------------------

    @Test
    @Override
    protected void enqueueIsIdempotentByJobId() {
        Assumptions.assumeTrue(false, "Disque assigns every job its id (ADDJOB), so a submitted job cannot be"
                + " recognised when it is submitted again: see aResubmittedJobIsANewJob");
    }

    @Test
    @Override
    protected void everyEndedRunIsCountedOnceAsCompletedOrFailed() {
        // Disque forgets an acked job and keeps no count of them: the dashboard and the CLI show no rate for it
        assertTrue(broker.capability(JobCounters.class).isEmpty(), "Disque has no JobCounters capability");
    }

    @Test
    @Override
    protected void aChosenIdIsStoredOnceWhileItsJobIsReadyDelayedRunningOrDead() {
        Assumptions.assumeTrue(false, CALLER_IDS);
    }

    @Test
    @Override
    protected void aChosenIdStaysTakenForItsWindowAfterSuccessThenIsFreeAgain() {
        Assumptions.assumeTrue(false, CALLER_IDS);
    }

    @Test
    @Override
    protected void aChosenIdWithoutAWindowAndAMadeIdAreFreeAsSoonAsTheirJobSucceeded() {
        Assumptions.assumeTrue(false, CALLER_IDS);
    }

    @Test
    @Override
    protected void aChosenIdRepeatedInOneCallIsStoredOnceWithTheFirstPayload() {
        Assumptions.assumeTrue(false, CALLER_IDS);
    }

    @Test
    @Override
    protected void aLookupFollowsAJobFromReadyToRunningToSucceeded() {
        Assumptions.assumeTrue(false, CALLER_IDS);
    }

    @Test
    @Override
    protected void aLookupShowsADelayedJobsDueTimeAndADeadJobsLastError() {
        Assumptions.assumeTrue(false, CALLER_IDS);
    }

    @Test
    @Override
    protected void jobsListsAQueuesJobsInOneStateUpToTheLimit() {
        Assumptions.assumeTrue(false, CALLER_IDS);
    }

    @Test
    @Override
    protected void aReadyOrDelayedJobIsDeletedByItsCancelAndReportedCancelled() {
        Assumptions.assumeTrue(false, NO_CANCEL);
    }

    @Test
    @Override
    protected void aRunningJobsCancelEndsItsRunAsCancelledWhateverTheRunReports() {
        Assumptions.assumeTrue(false, NO_CANCEL);
    }

    @Test
    @Override
    protected void aCancelledRunWhoseWorkerDiedEndsWhenItsLeaseRunsOut() {
        Assumptions.assumeTrue(false, NO_CANCEL);
    }

    @Test
    @Override
    protected void aCancelAfterTheAckFindsTheJobFinishedAndADeadJobIsNotCancelled() {
        Assumptions.assumeTrue(false, NO_CANCEL);
    }

    @Test
    @Override
    protected void aCancelledRunsAckCarriedByTheNextReserveEndsItToo() {
        Assumptions.assumeTrue(false, NO_CANCEL);
    }

    @Test
    @Override
    protected void anExpiredLeaseIsReclaimedAndTheStaleOwnerIsFencedOut() {
        DisqueBroker b = withLease(SHORT_LEASE);
        String id = b.enqueue(List.of(job("q", "a"))).get(0);
        Delivery stale = b.reserve(List.of("q"), 1, SHORT_LEASE).deliveries().get(0);
        Delivery fresh = reserveWithin(b, "q", Duration.ofSeconds(10));
        assertEquals(id, fresh.id());
        assertEquals(2, fresh.attempt());
        assertEquals(1, fresh.leaseExpiries());
        assertArrayEquals(new boolean[] {false}, b.extend(List.of(stale), LEASE));
        assertArrayEquals(new boolean[] {false}, b.ack(List.of(stale)));
        assertFalse(b.retry(stale, clock.millis(), "late"));
        assertFalse(b.bury(stale, "late"));
        assertFalse(b.release(stale));
        assertEquals(new QueueStats("q", 0, 0, 1, 0), b.stats("q"));
        assertArrayEquals(new boolean[] {true}, b.ack(List.of(fresh)));
    }

    @Test
    @Override
    protected void theStaleOwnerCannotAckBetweenReclaimAndRedelivery() {
        DisqueBroker b = withLease(SHORT_LEASE);
        b.enqueue(List.of(job("q", "a")));
        Delivery stale = b.reserve(List.of("q"), 1, SHORT_LEASE).deliveries().get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.stats("q").ready() == 1);
        assertArrayEquals(new boolean[] {false}, b.ack(List.of(stale)));
        assertEquals(1, b.stats("q").ready());
    }

    @Test
    @Override
    protected void extendingALeaseKeepsTheJobFromBeingReclaimed() {
        DisqueBroker b = withLease(SHORT_LEASE);
        b.enqueue(List.of(job("q", "a")));
        Delivery d = b.reserve(List.of("q"), 1, SHORT_LEASE).deliveries().get(0);
        for (int i = 0; i < 6; i++) {
            DisqueServer.sleep(700);
            assertArrayEquals(new boolean[] {true}, b.extend(List.of(d), SHORT_LEASE), "heartbeat " + i);
            assertEquals(0, b.stats("q").ready(), "requeued despite heartbeat " + i);
        }
        await().atMost(Duration.ofSeconds(6)).until(() -> b.stats("q").ready() == 1);
    }

    @Test
    @Override
    protected void aRetriedJobComesBackWhenDueWithTheNextAttemptAndItsError() {
        String id = broker.enqueue(List.of(job("q", "a"))).get(0);
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        long start = System.nanoTime();
        assertTrue(broker.retry(d, clock.millis() + 1000, "boom"));
        assertEquals(new QueueStats("q", 0, 1, 0, 0), broker.stats("q"));
        assertTrue(broker.reserve(List.of("q"), 1, LEASE).isEmpty());
        Delivery again = reserveWithin(broker, "q", Duration.ofSeconds(10));
        assertTrue(System.nanoTime() - start >= 900_000_000L, "came back before its backoff");
        assertNotEquals(id, again.id(), "a retry is a new Disque job");
        assertEquals(2, again.attempt());
        assertArrayEquals("payload-a".getBytes(StandardCharsets.UTF_8), again.payload());
        assertTrue(broker.bury(again, "given up"));
        assertEquals(2, broker.deadJobs("q", 0, 1).get(0).attempts());
    }

    @Test
    @Override
    protected void aDelayedJobIsNotLeasedBeforeItsTime() {
        long start = System.nanoTime();
        broker.enqueue(List.of(new OutgoingJob("q", "later", new byte[] {1}, clock.millis() + 2000)));
        assertTrue(broker.reserve(List.of("q"), 1, LEASE).isEmpty());
        DisqueServer.sleep(1000);
        assertTrue(broker.reserve(List.of("q"), 1, LEASE).isEmpty());
        reserveWithin(broker, "q", Duration.ofSeconds(10));
        assertTrue(System.nanoTime() - start >= 1_900_000_000L, "leased before its delay");
    }

    @Test
    @Override
    protected void housekeepingPromotesDueDelayedJobs() {
        broker.enqueue(List.of(new OutgoingJob("q", "later", new byte[] {1}, clock.millis() + 1000)));
        assertEquals(new QueueStats("q", 0, 1, 0, 0), broker.stats("q"));
        // Disque queues a delayed job by itself when it falls due: a worker has no housekeeping to do
        assertTrue(broker.capability(Housekeeper.class).isEmpty(), "Disque needs no janitor");
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.stats("q").ready() == 1);
    }

    @Test
    @Override
    protected void aDelayedJobOrARetryWakesAWaiterSoItLearnsTheNewDueTime() throws Exception {
        // a waiter has no due time to learn on Disque: its blocking GETJOB receives the delayed job when it is due
        CompletableFuture<Boolean> woke = CompletableFuture.supplyAsync(() -> broker.awaitWork(List.of("q"), Duration.ofSeconds(5)));
        broker.enqueue(List.of(new OutgoingJob("q", "later", new byte[] {1}, clock.millis() + 1000)));
        assertTrue(woke.get(4, TimeUnit.SECONDS));
        assertEquals(1, broker.reserve(List.of("q"), 5, LEASE).deliveries().size());
    }

    // ---- Disque specifics -------------------------------------------------------------------------------------

    @Test
    void enqueueReturnsDisqueJobIds() {
        List<String> ids = broker.enqueue(List.of(job("q", "a"), job("q", "b")));
        for (String id : ids) {
            assertTrue(id.matches("D-[0-9a-f]{8}-[A-Za-z0-9+/]{24}-[0-9a-f]{4}"), id);
        }
        assertNotEquals(ids.get(0), ids.get(1));
    }

    @Test
    void aResubmittedJobIsANewJob() {
        OutgoingJob same = job("q", "same");
        List<String> first = broker.enqueue(List.of(same));
        List<String> second = broker.enqueue(List.of(same));
        assertNotEquals(first, second);
        assertEquals(2, broker.stats("q").ready());
    }

    @Test
    void javaJobsTravelInGoTasqueQueuesAsGoTasqueJson() throws IOException {
        TaskCodec codec = broker.codec(512 * 1024);
        byte[] payload = codec.encode(new Envelope("ignored", "download", Map.of("url", "http://example.org"), clock.millis(), 0));
        String id = broker.enqueue(List.of(new OutgoingJob("download", "ignored", payload, 0))).get(0);
        try (Jedis raw = currentNode(broker)) {
            assertEquals(1L, raw.sendCommand(DisqueCommand.QLEN, "__tasque__download"));
            JobInfo job = JobInfo.parse(raw.sendCommand(DisqueCommand.SHOW, id));
            assertEquals("__tasque__download", job.queue());
            JsonNode json = JSON.readTree(job.body());
            assertEquals("download", json.get("Name").asText());
            assertEquals("http://example.org", json.get("Params").get("url").asText());
            assertEquals(clock.millis(), OffsetDateTime.parse(json.get("EnqueueTime").asText()).toInstant().toEpochMilli());
        }
    }

    @Test
    void aGoClientsJobIsDeliveredUnderItsTaskNameAndDecodes() throws IOException {
        byte[] goJob = fixture("download-zero-time.json");
        try (Jedis raw = currentNode(broker)) {
            // Go tasque's ADDJOB, with the replication spelled out so that it also works after a cluster lost a node
            raw.sendCommand(DisqueCommand.ADDJOB, "__tasque__download".getBytes(StandardCharsets.UTF_8), goJob,
                    "2000".getBytes(StandardCharsets.UTF_8), "REPLICATE".getBytes(StandardCharsets.UTF_8),
                    "1".getBytes(StandardCharsets.UTF_8));
        }
        Delivery d = broker.reserve(List.of("download"), 1, LEASE).deliveries().get(0);
        assertEquals("download", d.queue());
        assertEquals(1, d.attempt());
        assertArrayEquals(goJob, d.payload());
        Envelope e = broker.codec(512 * 1024).decode(d.payload());
        assertEquals("download", e.name());
        assertEquals(Map.of("url", "http://example.org"), e.params());
        assertEquals(0, e.enqueuedAt());
        assertArrayEquals(new boolean[] {true}, broker.ack(List.of(d)));
    }

    @Test
    void aRetryCopyStaysReadableByGoTasque() throws IOException {
        byte[] goJob = fixture("download-zero-time.json");
        broker.enqueue(List.of(new OutgoingJob("download", "ignored", goJob, 0)));
        Delivery d = broker.reserve(List.of("download"), 1, LEASE).deliveries().get(0);
        assertTrue(broker.retry(d, clock.millis() + 60_000, "boom"));
        try (Jedis raw = currentNode(broker)) {
            List<JobInfo> copies = JobCommands.scan(raw, "__tasque__download").stream().filter(j -> !j.acked()).toList();
            assertEquals(1, copies.size());
            assertNotEquals(d.id(), copies.get(0).id());
            assertEquals(60, copies.get(0).delaySeconds());
            JsonNode json = JSON.readTree(copies.get(0).body());
            assertEquals("download", json.get("Name").asText());
            assertEquals("http://example.org", json.get("Params").get("url").asText());
            assertEquals(GoTasqueCodec.GO_ZERO_TIME, json.get("EnqueueTime").asText());
            assertEquals(1, json.get("Tasque").get("attempts").asInt());
            assertEquals("boom", json.get("Tasque").get("lastError").asText());
        }
    }

    @Test
    void aGoCompatibleBrokerSubmitsWithTheRetryDisqueGivesGoTasquesOwnJobs() {
        DisqueBroker go = new DisqueBroker(BrokerUri.parse(deployment().uri()), BrokerOptions.defaults(),
                disqueOptions().toBuilder().goCompatible().build());
        extra.add(go);
        String javaId = go.enqueue(List.of(job("q", "a"))).get(0);
        try (Jedis raw = currentNode(go)) {
            // Go tasque's ADDJOB: no RETRY, no TTL (the replication spelled out so it works after a cluster lost a node)
            String goId = Replies.str(raw.sendCommand(DisqueCommand.ADDJOB, "__tasque__q", "{}", "2000", "REPLICATE", "1"));
            long goRetry = JobInfo.parse(raw.sendCommand(DisqueCommand.SHOW, goId)).retrySeconds();
            assertEquals(DisqueOptions.GO_TASQUE_LEASE.toSeconds(), goRetry);
            assertEquals(goRetry, JobInfo.parse(raw.sendCommand(DisqueCommand.SHOW, javaId)).retrySeconds());
        }
        String defaultId = broker.enqueue(List.of(job("q", "b"))).get(0);
        try (Jedis raw = currentNode(broker)) {
            assertEquals(DisqueOptions.DEFAULT_LEASE.toSeconds(),
                    JobInfo.parse(raw.sendCommand(DisqueCommand.SHOW, defaultId)).retrySeconds());
        }
    }

    @Test
    void theDeadLetterIsAQueueOfItsOwnThatNoWorkerFetches() {
        broker.enqueue(List.of(job("q", "a")));
        broker.bury(broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0), "x");
        try (Jedis raw = currentNode(broker)) {
            assertEquals(1L, raw.sendCommand(DisqueCommand.QLEN, "__tasque_dead__q"));
            assertEquals(0L, raw.sendCommand(DisqueCommand.QLEN, "__tasque__q"));
        }
        assertTrue(broker.reserve(List.of("q"), 10, LEASE).isEmpty());
    }

    @Test
    void aJobThatWaitedLongerThanItsLeaseGetsAFullLeaseWhenHandedOut() {
        DisqueBroker b = withLease(SHORT_LEASE);
        b.enqueue(List.of(job("q", "a")));
        DisqueServer.sleep(3000);
        Delivery d = b.reserve(List.of("q"), 1, SHORT_LEASE).deliveries().get(0);
        DisqueServer.sleep(1200);
        assertEquals(0, b.stats("q").ready(), "requeued before its lease, timed from delivery, ran out");
        assertArrayEquals(new boolean[] {true}, b.ack(List.of(d)));
    }

    @Test
    void jobsAWaitFetchedButNobodyReservedAreHandedBackWithoutUsingAnAttempt() {
        DisqueBroker other = withLease(LEASE);
        // queued on the node the wait blocks on (a wait that sees jobs on another node leaves them for reserve)
        String id = other.enqueue(List.of(job("q", "a"))).get(0);
        assertTrue(other.awaitWork(List.of("q"), Duration.ofSeconds(2)));
        assertEquals(0, broker.stats("q").ready());
        DisqueNode waitedOn = other.currentNode();
        other.close();
        // back in the queue of the node the wait fetched it from (on a cluster, federation may have moved it there),
        // as a NACK, which is not an attempt
        try (Jedis raw = DisqueDeployment.connect(waitedOn.addressKey())) {
            JobInfo job = JobInfo.parse(raw.sendCommand(DisqueCommand.SHOW, id));
            assertNotNull(job, "node " + waitedOn + " does not know the job it handed out");
            assertEquals("queued", job.state(), "on " + waitedOn);
            assertEquals(1, job.nacks(), "on " + waitedOn);
            assertEquals(0, job.additionalDeliveries(), "on " + waitedOn);
        }
        // this broker may talk to another node: it finds the job where it was handed back
        Delivery d = reserveWithin(broker, "q", Duration.ofSeconds(3));
        assertEquals(id, d.id());
        assertEquals(1, d.attempt());
    }

    @Test
    void aRetriedDeadJobGetsAFreshTtlAndLeaseAndRunsFromAttemptOne() {
        broker.enqueue(List.of(job("q", "a")));
        Delivery d = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        assertTrue(broker.bury(d, "x"));
        String dead = broker.deadJobs("q", 0, 1).get(0).id();
        assertNotNull(dead);
        assertTrue(broker.retryDead("q", dead));
        Delivery again = broker.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
        assertEquals(1, again.attempt());
        assertEquals(0, again.leaseExpiries());
        assertArrayEquals("payload-a".getBytes(StandardCharsets.UTF_8), again.payload());
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = DisqueContract.class.getResourceAsStream("go/" + name)) {
            if (in == null) {
                throw new IOException("test fixture go/" + name + " is missing");
            }
            return in.readAllBytes();
        }
    }
}
