package io.tasque.samples.downloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import io.tasque.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@WithRedis
class DownloadEnqueueTest {

    private final RedisServer redis;

    DownloadEnqueueTest(RedisServer redis) {
        this.redis = redis;
    }

    @Test
    void submitsOneDownloadPerUrlThatAWorkerReceives() throws InterruptedException {
        DownloadEnqueue.main(new String[] {"--broker", redis.uri(), "https://example.org/a.pdf", "http://example.org/b"});

        BlockingQueue<String> urls = new LinkedBlockingQueue<>();
        List<String> received = new ArrayList<>();
        try (Worker worker = Worker.builder()
                .broker(redis.uri())
                .handle(DownloadTask.NAME, task -> urls.add(task.param(DownloadTask.URL, String.class)))
                .shutdownHook(false)
                .build()
                .start()) {
            while (received.size() < 2) {
                String url = urls.poll(30, TimeUnit.SECONDS);
                assertNotNull(url, "the worker received only " + received);
                received.add(url);
            }
        }
        assertEquals(List.of("http://example.org/b", "https://example.org/a.pdf"), received.stream().sorted().toList());
    }

    @Test
    void aBadUrlIsRefusedNamingItAndNothingIsSubmitted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DownloadEnqueue.main(
                new String[] {"--broker", redis.uri(), "https://ok.example/a", "ftp://example.org/x"}));

        assertEquals("URL 'ftp://example.org/x' is not http or https; use e.g. https://example.org/a.pdf", e.getMessage());
        assertEquals("0", redis.command("DBSIZE"), () -> "stored: " + redis.command("KEYS", "*"));
    }

    @Test
    void noUrlIsRefusedSayingWhatToPass() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DownloadEnqueue.main(new String[] {"--broker", redis.uri()}));

        assertEquals("no URL given; pass one or more, e.g. https://example.org/a.pdf", e.getMessage());
    }
}
