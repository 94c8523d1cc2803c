package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.CallLoad;
import io.tasque.testkit.RedisCluster;
import io.tasque.testkit.RedisServer;
import io.tasque.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario: a worker and a client on {@code redis-cluster://} under load (a few hundred submits a second) while the
 * queue's slot is resharded to another master and back, its keys moving two per {@code MIGRATE} as {@code redis-cli
 * --cluster reshard} moves them. Mid-move the cluster answers {@code ASK} and {@code TRYAGAIN}; both sides carry on
 * without a failed call, and every submitted job completes.
 */
@Tag("slow")
class ClusterReshardTest {

    /** Long: no lease may run out here, so a duplicate would mean a call was repeated after it took effect. */
    private static final Duration LEASE = Duration.ofSeconds(30);
    /** Submits (and as many runs) before the first move, between the moves and after the second. */
    private static final int SUBMITS_EACH_STEP = 400;
    /** Other keys in the queue's slot, so that a move takes a few dozen MIGRATEs. */
    private static final int FILLER_KEYS = 40;
    private static final Duration BATCH_PAUSE = Duration.ofMillis(15);
    private static final Duration STEP = Duration.ofSeconds(30);

    private RedisCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everySubmittedJobCompletesWhileTheQueuesSlotMovesToAnotherMasterAndBack() throws Exception {
        cluster = RedisCluster.start();
        String uri = cluster.uri();
        int slot = cluster.slotOf("tasque:{" + ChildSettings.TASK + "}:ready");
        RedisServer home = cluster.masterOf(slot);
        RedisServer away = cluster.anotherMasterThanThatOf(slot);
        for (int i = 0; i < FILLER_KEYS; i++) {
            home.command("SET", "filler:{" + ChildSettings.TASK + "}:" + i, "x");
        }
        Map<String, Integer> runs = new ConcurrentHashMap<>();
        try (Worker worker = Worker.builder().broker(uri).concurrency(8).lease(LEASE).shutdownHook(false)
                .handle(ChildSettings.TASK, task -> runs.merge(task.id(), 1, Integer::sum)).build();
             TasqueClient client = TasqueClient.builder().broker(uri).build()) {
            worker.start();
            CallLoad submitter = CallLoad.of(n -> client.submit(Task.of(ChildSettings.TASK).set("n", n))).threads(2)
                    .pause(Duration.ofMillis(4)).threadName("submitter").start();
            long start = System.nanoTime();
            awaitStep(submitter, runs, 0, 0);

            long[] moveMs = new long[2];
            int[] keys = new int[2];
            String[] errors = new String[2];
            List<RedisServer> route = List.of(away, home);
            for (int m = 0; m < 2; m++) {
                RedisServer from = cluster.masterOf(slot);
                int submittedBefore = submitter.succeeded();
                int completedBefore = runs.size();
                long moveStart = System.nanoTime();
                keys[m] = cluster.moveSlot(slot, route.get(m), 2, BATCH_PAUSE);
                moveMs[m] = (System.nanoTime() - moveStart) / 1_000_000;
                assertSame(route.get(m), cluster.masterOf(slot));
                errors[m] = from.command("INFO", "errorstats");
                awaitStep(submitter, runs, submittedBefore, completedBefore);
            }
            submitter.close();
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            Accounting a = Accounting.settle("cluster-reshard", submitter.results(), () -> Map.copyOf(runs), client.admin(),
                    Duration.ofSeconds(60)).print();
            String summary = "cluster-reshard: slot " + slot + " moved twice (" + keys[0] + " and " + keys[1]
                    + " keys, 2 per MIGRATE) in " + moveMs[0] + " and " + moveMs[1] + " ms, under about "
                    + Math.round(submitter.succeeded() / (tookMs / 1000.0)) + " submits/s; " + submitter.failures().size()
                    + " submits failed; longest submit " + submitter.longestCall().toMillis() + " ms";
            System.out.println(summary);
            Accounting.report(summary);
            a.assertNothingLost().assertNoneDead();
            assertEquals(0, a.duplicates(), a.line() + ": no lease ran out, so no job should have run twice");
            assertEquals(List.of(), submitter.failures().stream().map(f -> f.error().toString()).toList(), "no submit failed");
            for (String e : errors) {
                assertTrue(e.contains("errorstat_TRYAGAIN") || e.contains("errorstat_ASK"),
                        "the old master answered calls mid-move with ASK or TRYAGAIN: " + e);
            }
        }
    }

    /** Waits until {@link #SUBMITS_EACH_STEP} more submits returned and as many more jobs ran. */
    private static void awaitStep(CallLoad submitter, Map<String, Integer> runs, int submitted, int completed) {
        await().atMost(STEP).until(() -> submitter.succeeded() >= submitted + SUBMITS_EACH_STEP
                && runs.size() >= completed + SUBMITS_EACH_STEP);
    }
}
