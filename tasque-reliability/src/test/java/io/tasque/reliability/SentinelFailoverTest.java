package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.CallLoad;
import io.tasque.testkit.RedisSentinelDeployment;
import io.tasque.testkit.RedisServer;
import io.tasque.worker.Worker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario: a worker and a client on {@code redis-sentinel://} under load (a few hundred submits a second) while
 * the master is SIGKILLed; the sentinels promote a replica and both carry on by themselves. With
 * {@code ?replicas=1} every submit that returned completes; without, a submit the master took but had not yet
 * passed to its replica may be lost, and the line says how many.
 */
@Tag("slow")
class SentinelFailoverTest {

    private static final Duration ENQUEUE_TIMEOUT = Duration.ofSeconds(1);
    /** Short, so that jobs whose ack was lost in the failover run again soon. */
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration FAILOVER = Duration.ofSeconds(20);
    /** Bounds the carrying on: a loaded machine once saw two promotions in a row and the circuit breaker open thrice. */
    private static final Duration CARRY_ON = Duration.ofSeconds(45);
    /** Submits that return before the kill and again after the promotion. */
    private static final int SUBMITS_EACH_SIDE = 600;

    private RedisSentinelDeployment deployment;

    @AfterEach
    void tearDown() {
        if (deployment != null) {
            deployment.close();
        }
    }

    @Test
    void withReplicasOneEverySubmitThatReturnedCompletesThroughAFailover() throws Exception {
        // two replicas: one is promoted, the other then confirms the writes to the new master
        deployment = RedisSentinelDeployment.start(2);
        run("sentinel-failover-replicas-1", deployment.uri() + "?replicas=1").assertNothingLost().assertNoneDead();
    }

    @Test
    void withoutReplicasTheWorkerAndClientCarryOnAndTheLineSaysWhatWasLost() throws Exception {
        deployment = RedisSentinelDeployment.start(1);
        Accounting a = run("sentinel-failover-replicas-0", deployment.uri()).assertNoneDead();
        assertEquals(a.submitted(), a.completed() + a.lost(), "every submitted job either completed or is lost: " + a.line());
    }

    private Accounting run(String scenario, String uri) throws Exception {
        Map<String, Integer> runs = new ConcurrentHashMap<>();
        try (Worker worker = Worker.builder().broker(uri).concurrency(8).lease(LEASE).shutdownHook(false)
                .handle(ChildSettings.TASK, task -> runs.merge(task.id(), 1, Integer::sum)).build();
             TasqueClient client = TasqueClient.builder().broker(uri).enqueueTimeout(ENQUEUE_TIMEOUT).build()) {
            worker.start();
            CallLoad submitter = CallLoad.of(n -> client.submit(Task.of(ChildSettings.TASK).set("n", n))).threads(2)
                    .pause(Duration.ofMillis(4)).threadName("submitter").start();
            await().atMost(CARRY_ON).until(() -> submitter.succeeded() >= SUBMITS_EACH_SIDE && !runs.isEmpty());
            long killedAt = System.nanoTime();
            double perSecond = submitter.succeeded() / ((killedAt - submitter.startNanos()) / 1e9);
            RedisServer old = deployment.killMaster();
            deployment.awaitPromotion(old, FAILOVER);
            long promotedMs = (System.nanoTime() - killedAt) / 1_000_000;
            int submittedAtPromotion = submitter.succeeded();
            int completedAtPromotion = runs.size();
            await().atMost(CARRY_ON).until(() -> submitter.succeeded() >= submittedAtPromotion + SUBMITS_EACH_SIDE
                    && runs.size() >= completedAtPromotion + SUBMITS_EACH_SIDE);
            long carriedOnMs = (System.nanoTime() - killedAt) / 1_000_000;
            submitter.close();

            Accounting a = Accounting.settle(scenario, submitter.results(), () -> Map.copyOf(runs), client.admin(),
                    Duration.ofSeconds(60)).print();
            String summary = scenario + ": about " + Math.round(perSecond) + " submits/s; master killed, replica promoted after "
                    + promotedMs + " ms; client and worker both past " + SUBMITS_EACH_SIDE + " more after " + carriedOnMs
                    + " ms; " + submitter.failures().size() + " submits failed meanwhile, " + a.completedUnsubmitted()
                    + " of them stored anyway and ran; longest submit " + submitter.longestCall().toMillis() + " ms";
            System.out.println(summary);
            Accounting.report(summary);
            assertTrue(submitter.longestCall().compareTo(ENQUEUE_TIMEOUT.plusMillis(1500)) < 0,
                    "no submit hangs: the longest took " + submitter.longestCall().toMillis() + " ms");
            return a;
        }
    }
}
