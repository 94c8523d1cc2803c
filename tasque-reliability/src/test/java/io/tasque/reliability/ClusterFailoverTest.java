package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.CallLoad;
import io.tasque.testkit.RedisCluster;
import io.tasque.testkit.RedisServer;
import io.tasque.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario: a worker and a client on {@code redis-cluster://…?replicas=1} under load, with jobs of five task names
 * spread over the three masters, while the master of some of them is SIGKILLed; the cluster promotes one of its
 * replicas, and client and worker follow the slots to it by themselves. Every shard has two replicas, so the promoted
 * one still has a replica to confirm writes to ({@code WAIT 1}) and nothing is restarted. Every submit that returned
 * completes; submits that threw meanwhile are not counted as submitted, but counted and printed.
 */
@Tag("slow")
class ClusterFailoverTest {

    private static final Duration ENQUEUE_TIMEOUT = Duration.ofSeconds(1);
    /** Short, so that jobs whose ack was lost in the failover run again soon. */
    private static final Duration LEASE = Duration.ofSeconds(3);
    /** Bounds each phase of the run: the load before the kill, and the carrying on after the promotion. */
    private static final Duration CARRY_ON = Duration.ofSeconds(45);
    /** Submits that return before the kill, and again after the promotion. */
    private static final int SUBMITS_EACH_SIDE = 600;
    /** Submits to the killed master's queues, begun after the promotion, that must return (so they went to the promoted node). */
    private static final int SUBMITS_ON_PROMOTED = 100;

    private RedisCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void withReplicasOneEverySubmitThatReturnedCompletesThroughAMasterKill() throws Exception {
        cluster = RedisCluster.start(2);
        Map<String, RedisServer> masters = ClusterQueues.mastersOf(cluster);
        assertEquals(RedisCluster.MASTERS, new HashSet<>(masters.values()).size(),
                "queues " + ClusterQueues.NAMES + " should span the three masters: " + masters);
        String uri = cluster.uri() + "?replicas=1";
        String scenario = "cluster-failover-replicas-1";

        RedisServer victim = masters.get(ClusterQueues.NAMES.get(0));
        Set<String> victimQueues = Set.copyOf(ClusterQueues.servedBy(cluster, victim));
        Map<String, Integer> runs = new ConcurrentHashMap<>();
        Set<String> onPromoted = ConcurrentHashMap.newKeySet();
        PromotionFlag promoted = new PromotionFlag();
        AtomicInteger failedOnVictim = new AtomicInteger();
        AtomicInteger failedElsewhere = new AtomicInteger();
        Worker.Builder workers = Worker.builder().broker(uri).concurrency(8).lease(LEASE).shutdownHook(false)
                .janitorInterval(Duration.ofMillis(500));
        for (String q : ClusterQueues.NAMES) {
            workers.handle(q, task -> runs.merge(task.id(), 1, Integer::sum));
        }
        try (Worker worker = workers.build();
             TasqueClient client = TasqueClient.builder().broker(uri).enqueueTimeout(ENQUEUE_TIMEOUT).build()) {
            worker.start();
            CallLoad submitter = CallLoad.of(n -> {
                String queue = ClusterQueues.NAMES.get(n % ClusterQueues.NAMES.size());
                boolean afterPromotion = promoted.isSet();
                String id;
                try {
                    id = client.submit(Task.of(queue).set("n", n));
                } catch (RuntimeException e) {
                    (victimQueues.contains(queue) ? failedOnVictim : failedElsewhere).incrementAndGet();
                    throw e;
                }
                if (afterPromotion && victimQueues.contains(queue)) {
                    onPromoted.add(id);
                }
                return id;
            }).threads(4).pause(Duration.ofMillis(4)).threadName("submitter").start();
            await().atMost(CARRY_ON).until(() -> submitter.succeeded() >= SUBMITS_EACH_SIDE && runs.size() >= SUBMITS_EACH_SIDE / 2);
            long killedAt = System.nanoTime();
            double perSecond = submitter.succeeded() / ((killedAt - submitter.startNanos()) / 1e9);
            int slot = ClusterQueues.slotOf(cluster, victimQueues.iterator().next());
            RedisServer killed = cluster.killMasterOf(slot);
            RedisServer promotedNode = cluster.masterOf(slot);
            promoted.set();
            long promotedMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertNotSame(killed, promotedNode, "slot " + slot + " is served by another node after the kill");
            assertTrue(!killed.isRunning(), "the killed master " + killed + " stays down for the rest of the run");
            int submittedAtPromotion = submitter.succeeded();
            int completedAtPromotion = runs.size();
            await().atMost(CARRY_ON).until(() -> submitter.succeeded() >= submittedAtPromotion + SUBMITS_EACH_SIDE
                    && runs.size() >= completedAtPromotion + SUBMITS_EACH_SIDE && onPromoted.size() >= SUBMITS_ON_PROMOTED);
            long carriedOnMs = (System.nanoTime() - killedAt) / 1_000_000;
            submitter.close();

            Accounting a = ClusterQueues.settle(scenario, submitter.results(), () -> Map.copyOf(runs), client.admin(),
                    Duration.ofSeconds(60)).print();
            List<CallLoad.Failure> failures = submitter.failures();
            long promotedCompleted = onPromoted.stream().filter(runs::containsKey).count();
            String summary = scenario + ": about " + Math.round(perSecond) + " submits/s over queues " + masters.keySet()
                    + "; killed " + killed + " (queues " + victimQueues + "), " + promotedNode + " serves them after "
                    + promotedMs + " ms; client and worker both past " + SUBMITS_EACH_SIDE + " more after " + carriedOnMs
                    + " ms; " + promotedCompleted + " of " + onPromoted.size() + " submits begun on the promoted node completed; "
                    + failures.size() + " submits failed meanwhile (not counted as submitted; " + failedOnVictim
                    + " to the killed master's queues, " + failedElsewhere + " to the others') " + byError(failures) + ", "
                    + a.completedUnsubmitted() + " of them stored anyway and ran; longest submit "
                    + submitter.longestCall().toMillis() + " ms";
            System.out.println(summary);
            Accounting.report(summary);
            a.assertNothingLost().assertNoneDead();
            assertEquals(onPromoted.size(), promotedCompleted, "every submit that returned from the promoted node completed");
            assertTrue(worker.isRunning(), "the worker carried on without a restart");
            assertTrue(submitter.longestCall().compareTo(ENQUEUE_TIMEOUT.plusMillis(2500)) < 0,
                    "no submit hangs: the longest took " + submitter.longestCall().toMillis() + " ms");
        }
    }

    /**
     * One task name split into three partitions, one on each master ({@code admin.partitions("work", 3)}), under load
     * while the master of one partition is SIGKILLed with {@code ?replicas=1}: its replica is promoted, and every submit
     * that returned completes, from all three partitions.
     */
    @Test
    void aQueueSplitOverTheThreeMastersLosesNothingWhenOneOfThemDies() throws Exception {
        cluster = RedisCluster.start(2);
        List<String> parts = List.of("work", "work#1", "work#2");
        Set<Integer> ports = new HashSet<>();
        for (String p : parts) {
            ports.add(cluster.masterOf(ClusterQueues.slotOf(cluster, p)).port());
        }
        assertEquals(RedisCluster.MASTERS, ports.size(), "the partitions of 'work' should span the three masters");
        String uri = cluster.uri() + "?replicas=1";
        String scenario = "cluster-failover-split-queue";
        Map<String, Integer> runs = new ConcurrentHashMap<>();
        try (TasqueClient client = TasqueClient.builder().broker(uri).enqueueTimeout(ENQUEUE_TIMEOUT).build();
             Worker worker = Worker.builder().broker(uri).concurrency(8).lease(LEASE).shutdownHook(false)
                     .janitorInterval(Duration.ofMillis(500)).handle("work", task -> runs.merge(task.id(), 1, Integer::sum))
                     .build()) {
            client.admin().partitions("work", 3);
            worker.start();
            CallLoad submitter = CallLoad.of(n -> client.submit(Task.of("work").set("n", n)))
                    .threads(4).pause(Duration.ofMillis(4)).threadName("submitter").start();
            await().atMost(CARRY_ON).until(() -> submitter.succeeded() >= SUBMITS_EACH_SIDE && runs.size() >= SUBMITS_EACH_SIDE / 2);
            long killedAt = System.nanoTime();
            RedisServer killed = cluster.killMasterOf(ClusterQueues.slotOf(cluster, "work"));
            long promotedMs = (System.nanoTime() - killedAt) / 1_000_000;
            int submittedAtPromotion = submitter.succeeded();
            int completedAtPromotion = runs.size();
            await().atMost(CARRY_ON).until(() -> submitter.succeeded() >= submittedAtPromotion + SUBMITS_EACH_SIDE
                    && runs.size() >= completedAtPromotion + SUBMITS_EACH_SIDE);
            submitter.close();

            Accounting a = ClusterQueues.settle(scenario, List.of("work"), submitter.results(), () -> Map.copyOf(runs),
                    client.admin(), Duration.ofSeconds(60)).print();
            List<CallLoad.Failure> failures = submitter.failures();
            String summary = scenario + ": queue 'work' in 3 partitions on 3 masters; killed " + killed + " (partition 0), "
                    + "promoted after " + promotedMs + " ms; " + failures.size() + " submits failed meanwhile (not counted as"
                    + " submitted) " + byError(failures) + ", " + a.completedUnsubmitted() + " of them stored anyway and ran;"
                    + " longest submit " + submitter.longestCall().toMillis() + " ms";
            System.out.println(summary);
            Accounting.report(summary);
            a.assertNothingLost().assertNoneDead();
            assertTrue(worker.isRunning(), "the worker carried on without a restart");
        }
    }

    /**
     * A worker process SIGKILLed on the cluster while it holds jobs of queues on every master: once its leases run
     * out, the other worker process runs them again (as later attempts), and every submit that returned completes.
     */
    @Test
    void aWorkerProcessKilledOnTheClusterHasItsJobsRunAgainByTheOther() throws Exception {
        cluster = RedisCluster.start();
        String uri = cluster.uri() + "?replicas=1";
        String scenario = "cluster-sigkill-worker";
        // the ledger's keys share one slot: it lives on that slot's master, which no one kills here
        RedisServer ledgerNode = cluster.masterOf(cluster.slotOf(Ledger.DONE));
        try (Ledger ledger = Ledger.connect(ledgerNode.uri(), 4, Duration.ofSeconds(5));
             WorkerFleet fleet = new WorkerFleet(Path.of("target", "child-logs", scenario));
             TasqueClient client = TasqueClient.builder().broker(uri).enqueueTimeout(ENQUEUE_TIMEOUT).build()) {
            ChildSettings settings = ChildSettings.worker("A", uri).tasks(ClusterQueues.NAMES).ledger(ledgerNode.uri())
                    .concurrency(8).sleep(Duration.ofMillis(50));
            WorkerProcess a = fleet.start(settings);
            fleet.start(settings.named("B"));
            Map<String, String> queueOf = new ConcurrentHashMap<>();
            CallLoad submitter = CallLoad.of(n -> {
                String queue = ClusterQueues.NAMES.get(n % ClusterQueues.NAMES.size());
                String id = client.submit(Task.of(queue).set("i", n));
                queueOf.put(id, queue);
                return id;
            }).threads(2).pause(Duration.ofMillis(4)).threadName("submitter").start();
            await().atMost(CARRY_ON).until(() -> submitter.succeeded() >= SUBMITS_EACH_SIDE / 2
                    && startedBy(ledger, "A").size() >= 40);
            long killedAt = System.nanoTime();
            a.kill();
            int submittedAtKill = submitter.succeeded();
            long completedAtKill = ledger.completedJobs();
            await().atMost(CARRY_ON).until(() -> submitter.succeeded() >= submittedAtKill + SUBMITS_EACH_SIDE / 2
                    && ledger.completedJobs() >= completedAtKill + SUBMITS_EACH_SIDE / 2);
            submitter.close();

            Accounting accounting = ClusterQueues.settle(scenario, submitter.results(), ledger::completions, client.admin(),
                    Duration.ofSeconds(60)).print();
            long settledMs = (System.nanoTime() - killedAt) / 1_000_000;
            List<Ledger.Event> events = ledger.events();
            Set<String> unfinishedOnA = new HashSet<>();
            events.stream().filter(e -> e.kind().equals("start") && e.worker().equals("A")).forEach(e -> unfinishedOnA.add(e.id()));
            events.stream().filter(e -> e.kind().equals("done") && e.worker().equals("A")).forEach(e -> unfinishedOnA.remove(e.id()));
            Set<String> rerunByB = new HashSet<>();
            events.stream().filter(e -> e.kind().equals("done") && e.worker().equals("B") && e.attempt() >= 2
                    && unfinishedOnA.contains(e.id())).forEach(e -> rerunByB.add(e.id()));
            String summary = scenario + ": A held " + unfinishedOnA.size() + " unfinished job(s) of queues "
                    + new TreeSet<>(unfinishedOnA.stream().map(queueOf::get).toList()) + " when killed; B ran " + rerunByB.size()
                    + " of them again as a later attempt; settled " + settledMs + " ms after the kill; "
                    + submitter.failures().size() + " submits failed (not counted as submitted) " + byError(submitter.failures());
            System.out.println(summary);
            Accounting.report(summary);
            accounting.assertNothingLost().assertNoneDead();
            assertTrue(!unfinishedOnA.isEmpty(), "A was killed with jobs in flight");
            assertEquals(unfinishedOnA, rerunByB, "every job A held was run again by B as a later attempt");
        }
    }

    private static Set<String> startedBy(Ledger ledger, String worker) {
        Set<String> out = new HashSet<>();
        ledger.events().stream().filter(e -> e.kind().equals("start") && e.worker().equals(worker)).forEach(e -> out.add(e.id()));
        return out;
    }

    /** Failed submits counted by what they threw (class and the start of the message). */
    private static Map<String, Integer> byError(List<CallLoad.Failure> failures) {
        Map<String, Integer> out = new TreeMap<>();
        for (CallLoad.Failure f : failures) {
            String message = String.valueOf(f.error().getMessage());
            if (message.startsWith("redis-cluster://") && message.contains(": ")) {
                message = message.substring(message.indexOf(": ") + 2); // the broker URI, the same in every message
            }
            String key = f.error().getClass().getSimpleName() + ": " + (message.length() > 120 ? message.substring(0, 120) + "…" : message);
            out.merge(key, 1, Integer::sum);
        }
        return out;
    }

    /** Set once the killed master's replica serves its slots; submits begun after that go to the promoted node. */
    private static final class PromotionFlag {

        private volatile boolean set;

        void set() {
            set = true;
        }

        boolean isSet() {
            return set;
        }
    }
}
