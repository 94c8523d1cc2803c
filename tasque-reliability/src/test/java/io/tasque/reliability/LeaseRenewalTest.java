package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tasque.client.QueueCounts;
import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.LogCapture;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import io.tasque.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats under load, in one JVM: jobs finish and are acked while renewals are on their way, and a worker
 * that lost no lease must not report one (a false "lease lost" warning sends operators hunting for a fault).
 */
@WithRedis
class LeaseRenewalTest {

    private static final int JOBS = 3000;

    private final RedisServer redis;

    LeaseRenewalTest(RedisServer redis) {
        this.redis = redis;
    }

    @Test
    void aBusyWorkerThatLostNoLeaseReportsNone() {
        Map<String, Integer> runs = new ConcurrentHashMap<>();
        try (LogCapture log = LogCapture.start();
             TasqueClient client = TasqueClient.connect(redis.uri());
             Worker worker = Worker.builder().broker(redis.uri()).shutdownHook(false).concurrency(8)
                     .lease(Duration.ofSeconds(10)).heartbeat(Duration.ofMillis(10))
                     .handle(ChildSettings.TASK, task -> {
                         runs.merge(task.id(), 1, Integer::sum);
                         Thread.sleep(1);
                     }).build().start()) {
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                tasks.add(Behaviour.plain(i));
            }
            client.submitAll(tasks);
            await().atMost(Duration.ofMinutes(1)).until(() ->
                    client.admin().stats(ChildSettings.TASK).equals(new QueueCounts(ChildSettings.TASK, 0, 0, 0, 0)));
            assertEquals(0, worker.inFlight());
            assertEquals(JOBS, runs.size());
            assertEquals(List.of(), runs.values().stream().filter(n -> n > 1).toList(), "every job ran once: no lease was lost");
            List<String> reported = log.linesContaining("was lost");
            assertEquals(0, reported.size(), () -> "so no lease is reported lost, but " + reported.size()
                    + " were, e.g. " + reported.subList(0, Math.min(3, reported.size())));
        }
    }
}
