package io.tasque.samples.downloader;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@WithRedis
class DownloadWorkerTest {

    private static final byte[] BODY = "served by the test\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final RedisServer redis;

    DownloadWorkerTest(RedisServer redis) {
        this.redis = redis;
    }

    @Test
    void savesEachSubmittedUrlIntoTheGivenDirectoryAndStopsWhenInterrupted() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/report.txt", exchange -> {
            try (exchange; OutputStream body = exchange.getResponseBody()) {
                exchange.sendResponseHeaders(200, BODY.length);
                body.write(BODY);
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/report.txt";
        Path saved = dir.resolve(FileNames.forUrl(url));
        Thread main = new Thread(() -> DownloadWorker.main(new String[] {"--broker", redis.uri(), dir.toString()}),
                "download-worker-main");
        try (TasqueClient client = TasqueClient.connect(redis.uri())) {
            main.start();
            client.submit(DownloadTask.of(url));

            await().atMost(Duration.ofSeconds(30)).until(() -> Files.isRegularFile(saved));
            assertArrayEquals(BODY, Files.readAllBytes(saved));
        } finally {
            main.interrupt();
            main.join(Duration.ofSeconds(60).toMillis());
            server.stop(0);
        }
        assertFalse(main.isAlive(), "DownloadWorker did not stop when interrupted");
    }

    @Test
    void aUrlInsteadOfADirectoryIsRefusedPointingToTheEnqueueMain() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DownloadWorker.main(new String[] {"--broker", redis.uri(), "https://example.org/"}));

        assertEquals("DownloadWorker takes at most one directory, got [https://example.org/]; give URLs to"
                + " DownloadEnqueue", e.getMessage());
    }
}
