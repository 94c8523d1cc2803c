package io.tasque.samples.downloader;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tasque.Task;
import io.tasque.client.DeadTask;
import io.tasque.client.TasqueClient;
import io.tasque.retry.RetryPolicy;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import io.tasque.worker.Worker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download that can never succeed ends in the dead letter after one request, not after ten. */
@WithRedis
class DownloadDeadLetterTest {

    @TempDir
    Path dir;

    private final RedisServer redis;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    DownloadDeadLetterTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                requests.incrementAndGet();
                exchange.sendResponseHeaders(404, -1);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void aMissingFileIsDeadLetteredAfterOneRequestNamingUrlAndStatus() {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/gone.pdf";
        try (TasqueClient client = TasqueClient.connect(redis.uri());
                Worker worker = Worker.builder().broker(redis.uri()).shutdownHook(false)
                        .retryPolicy(RetryPolicy.fixed(Duration.ofMillis(20)))
                        .handle(DownloadTask.NAME, new DownloadHandler(dir)).build().start()) {
            String id = client.submit(Task.of(DownloadTask.NAME).set(DownloadTask.URL, url));

            await().atMost(Duration.ofSeconds(20)).until(() -> client.admin().stats(DownloadTask.NAME).dead() == 1);
            DeadTask dead = client.admin().deadTasks(DownloadTask.NAME).get(0);
            assertEquals(id, dead.id());
            assertEquals(1, requests.get(), "asked once, not once per attempt");
            assertEquals(1, dead.attempts());
            assertTrue(dead.lastError().startsWith("permanent failure: download of " + url + " failed: HTTP 404"), dead.lastError());
        }
    }
}
