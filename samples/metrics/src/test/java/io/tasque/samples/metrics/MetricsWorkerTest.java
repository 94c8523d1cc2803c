package io.tasque.samples.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.testkit.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sample's /metrics, scraped over HTTP while jobs flow through a real Redis. */
class MetricsWorkerTest {

    @Test
    void metricsShowJobsSubmitsAndQueueDepthInPrometheusFormat() throws Exception {
        try (RedisServer redis = RedisServer.start(); MetricsWorker sample = new MetricsWorker(redis.uri(), 0)) {
            int port = sample.start();
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                String body = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
                return body.contains("tasque_jobs_total{") && body.contains("outcome=\"succeeded\"")
                        && body.contains("tasque_submits_total{") && body.contains("tasque_queue_jobs{")
                        && body.contains("tasque_worker_up ");
            });
            String body = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(body.contains("tasque_handler_duration_seconds_count{task=\"resize\"}"), body);
        }
    }
}
