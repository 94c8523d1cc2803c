package io.tasque.samples.downloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.testkit.RedisServer;
import io.tasque.worker.Worker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DownloadEnqueueTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void submitsOneDownloadPerUrlThatAWorkerReceives() throws InterruptedException {
        List<String> urls = List.of("https://example.org/a.pdf", "http://example.org/b");
        try (RedisServer redis = RedisServer.start()) {
            String[] args = {"--broker", redis.uri(), urls.get(0), urls.get(1)};
            int code = DownloadEnqueue.run(args, Map.of(), print(out), print(err));

            assertEquals(0, code, () -> err.toString(StandardCharsets.UTF_8));
            String stdout = out.toString(StandardCharsets.UTF_8);
            assertTrue(stdout.contains(": https://example.org/a.pdf -> d454ecec1847f4cd1c65b694962cb817.pdf"), stdout);

            Set<String> received = ConcurrentHashMap.newKeySet();
            CountDownLatch both = new CountDownLatch(2);
            try (Worker worker = Worker.builder()
                    .broker(redis.uri())
                    .handle(DownloadTask.NAME, task -> {
                        received.add(task.param(DownloadTask.URL, String.class));
                        both.countDown();
                    })
                    .shutdownHook(false)
                    .build()) {
                worker.start();
                assertTrue(both.await(30, TimeUnit.SECONDS), "worker received only " + received);
            }
            assertEquals(Set.copyOf(urls), received);
        }
    }

    @Test
    void aBadUrlIsAUsageErrorAndNothingIsSubmitted() {
        int code = DownloadEnqueue.run(new String[] {"--broker", "redis://127.0.0.1:1", "https://ok.example/a",
            "ftp://example.org/x"}, Map.of(), print(out), print(err));

        assertEquals(2, code);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, stderr.lines().count(), stderr);
        assertTrue(stderr.startsWith("DownloadEnqueue: URL 'ftp://example.org/x' is not http or https"), stderr);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noUrlIsAUsageError() {
        assertEquals(2, DownloadEnqueue.run(new String[0], Map.of(), print(out), print(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("DownloadEnqueue: no URL given"));
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }
}
