package io.tasque.samples.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.samples.support.SampleBroker;
import io.tasque.worker.Worker;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A worker and a client metered into one Prometheus registry, scraped at {@code http://127.0.0.1:9464/metrics}: the
 * worker's {@code tasque_jobs_total}, {@code tasque_handler_duration_seconds}, {@code tasque_queue_jobs}, … and the
 * client's {@code tasque_submits_total}. A few {@code resize} jobs a second keep the numbers moving; one in ten fails
 * and is retried. {@code MetricsWorker [--broker URI] [--port P]}; without a broker it starts an embedded Redis.
 */
public final class MetricsWorker implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TasqueClient client;
    private final Worker worker;
    private final HttpServer http;
    private final ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();

    MetricsWorker(String brokerUri, int port) throws IOException {
        this.client = TasqueClient.builder().broker(brokerUri).meterRegistry(registry).build();
        this.worker = Worker.builder().broker(brokerUri).meterRegistry(registry).shutdownHook(false).concurrency(4)
                .handle("resize", task -> {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(5, 50));
                    if (ThreadLocalRandom.current().nextInt(10) == 0) {
                        throw new IllegalStateException("image server busy");
                    }
                })
                .build();
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        http.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    /** Starts the worker, the /metrics endpoint and the demo producer; returns the endpoint's port. */
    int start() {
        worker.start();
        http.start();
        producer.scheduleWithFixedDelay(() -> client.submit(Task.of("resize").set("image", "photo.jpg")), 0, 200, TimeUnit.MILLISECONDS);
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        producer.shutdownNow();
        http.stop(0);
        worker.close();
        client.close();
    }

    public static void main(String[] args) throws Exception {
        int port = 9464;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--port")) {
                port = Integer.parseInt(args[i + 1]);
            }
        }
        try (SampleBroker broker = SampleBroker.choose(args); MetricsWorker sample = new MetricsWorker(broker.uri(), port)) {
            int bound = sample.start();
            System.out.println("metrics at http://127.0.0.1:" + bound + "/metrics (Ctrl-C to stop)");
            Thread.currentThread().join();
        }
    }
}
