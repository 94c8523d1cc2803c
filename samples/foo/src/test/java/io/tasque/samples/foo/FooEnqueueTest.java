package io.tasque.samples.foo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.samples.support.BrokerChoice;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FooEnqueueTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private RedisServer redis;

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    @Test
    void submitsOneFooTaskPerTextThatAWorkerReceives() throws InterruptedException {
        int code = FooEnqueue.run(new String[] {"--broker", redis.uri(), "--delay", "100ms", "one", "two words"},
                Map.of(), print(out), print(err));

        assertEquals(0, code, () -> text(err));
        List<String> lines = text(out).lines().toList();
        assertEquals(2, lines.size(), text(out));
        assertTrue(lines.get(0).matches("submitted foo job \\S+: \"one\" \\(due in 100ms\\)"), lines.get(0));

        Set<String> received = ConcurrentHashMap.newKeySet();
        CountDownLatch both = new CountDownLatch(2);
        try (Worker worker = Worker.builder()
                .broker(redis.uri())
                .handle(FooTask.NAME, task -> {
                    received.add(task.param(FooTask.TEXT, String.class));
                    both.countDown();
                })
                .shutdownHook(false)
                .build()) {
            worker.start();
            assertTrue(both.await(30, TimeUnit.SECONDS), "worker received only " + received);
        }
        assertEquals(Set.of("one", "two words"), received);
    }

    @Test
    void takesTheBrokerFromTheEnvironment() {
        int code = FooEnqueue.run(new String[0], Map.of(BrokerChoice.ENV, redis.uri()), print(out), print(err));

        assertEquals(0, code, () -> text(err));
        assertTrue(text(out).matches("submitted foo job \\S+: \"hello\"\\R"), text(out));
    }

    @Test
    void withoutABrokerItUsesAnEmbeddedRedisAndSaysSo() {
        int code = FooEnqueue.run(new String[] {"hi"}, Map.of(), print(out), print(err));

        assertEquals(0, code, () -> text(err));
        assertTrue(text(out).contains("started an embedded Redis on redis://127.0.0.1:"), text(out));
        assertTrue(text(out).contains("empty and private to this process"), text(out));
    }

    @Test
    void aBadDelayIsAOneLineUsageError() {
        int code = FooEnqueue.run(new String[] {"--broker", redis.uri(), "--delay", "soon"}, Map.of(),
                print(out), print(err));

        assertEquals(2, code);
        assertEquals(1, text(err).lines().count(), text(err));
        assertTrue(text(err).contains("--delay 'soon' is not a duration; write it like 500ms, 5s or 2m"), text(err));
        assertEquals("", text(out));
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
