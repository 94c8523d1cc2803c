package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The worker's meters through a real Redis: up and healthy, queue depth sampled, reconnects after an outage. */
class WorkerMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static double gauge(SimpleMeterRegistry meters, String name, String... tags) {
        var g = meters.find(name).tags(tags).gauge();
        return g == null ? Double.NaN : g.value();
    }

    @Test
    void upHealthyQueueDepthAndReconnectsAreMetered() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CountDownLatch release = new CountDownLatch(1);
        try (RedisServer redis = RedisServer.start(); TasqueClient client = TasqueClient.connect(redis.uri())) {
            client.submitAll(List.of(Task.of("slow"), Task.of("slow"), Task.of("slow")));
            client.submit(Task.of("slow"), Duration.ofHours(1));
            Worker worker = Worker.builder().broker(redis.uri()).shutdownHook(false).gracePeriod(Duration.ofSeconds(1))
                    .concurrency(1).meterRegistry(meters).handle("slow", task -> release.await()).build().start();
            try {
                assertEquals(1.0, gauge(meters, "tasque.worker.up"));
                // counted every 15 s: the first count may come before the worker leased its job
                await().atMost(WAIT).until(() -> gauge(meters, "tasque.queue.jobs", "task", "slow", "state", "ready") == 2.0);
                assertEquals(1.0, gauge(meters, "tasque.queue.jobs", "task", "slow", "state", "delayed"));
                assertEquals(1.0, gauge(meters, "tasque.queue.jobs", "task", "slow", "state", "running"));
                assertEquals(0.0, gauge(meters, "tasque.queue.jobs", "task", "slow", "state", "dead"));
                assertEquals(1.0, gauge(meters, "tasque.worker.healthy"));

                redis.stop();
                await().atMost(WAIT).until(() -> gauge(meters, "tasque.worker.healthy") == 0.0);
                redis.restart();
                await().atMost(WAIT).until(() -> gauge(meters, "tasque.worker.healthy") == 1.0);
                assertEquals(1.0, meters.find("tasque.broker.reconnects").counter().count());
            } finally {
                release.countDown();
                worker.close();
            }
            assertEquals(0.0, gauge(meters, "tasque.worker.up"));
        }
    }
}
