package io.tasque.samples.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
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

class EnqueueMainTest {

    private static final String USAGE = "EchoEnqueue [--broker URI] [--delay 5s] TEXT...";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** One echo task per text, labelled by its length; "bad" is a usage error. */
    private final EnqueueMain echo = new EnqueueMain("EchoEnqueue", USAGE, "echo", texts -> {
        if (texts.isEmpty() || texts.contains("bad")) {
            throw new UsageException("give texts, none of them 'bad'");
        }
        return texts.stream()
                .map(t -> new EnqueueMain.Submission(Task.of("echo").set("text", t), t + " (" + t.length() + ")"))
                .toList();
    });

    @Test
    void submitsEveryTaskAndPrintsOneLabelledLineEach() throws InterruptedException {
        try (RedisServer redis = RedisServer.start()) {
            int code = echo.run(new String[] {"--broker", redis.uri(), "--delay=100ms", "one", "three"}, Map.of(),
                    print(out), print(err));

            assertEquals(0, code, () -> text(err));
            List<String> lines = text(out).lines().toList();
            assertEquals(2, lines.size(), text(out));
            assertTrue(lines.get(0).matches("submitted echo job \\S+: one \\(3\\) \\(due in 100ms\\)"), lines.get(0));
            assertTrue(lines.get(1).matches("submitted echo job \\S+: three \\(5\\) \\(due in 100ms\\)"), lines.get(1));

            Set<String> received = ConcurrentHashMap.newKeySet();
            CountDownLatch both = new CountDownLatch(2);
            try (Worker worker = Worker.builder()
                    .broker(redis.uri())
                    .handle("echo", task -> {
                        received.add(task.param("text", String.class));
                        both.countDown();
                    })
                    .shutdownHook(false)
                    .build()) {
                worker.start();
                assertTrue(both.await(30, TimeUnit.SECONDS), "worker received only " + received);
            }
            assertEquals(Set.of("one", "three"), received);
        }
    }

    @Test
    void takesTheBrokerFromTheEnvironmentAndPrintsNoDueTimeWithoutADelay() {
        try (RedisServer redis = RedisServer.start()) {
            int code = echo.run(new String[] {"hi"}, Map.of(BrokerChoice.ENV, redis.uri()), print(out), print(err));

            assertEquals(0, code, () -> text(err));
            assertTrue(text(out).matches("submitted echo job \\S+: hi \\(2\\)\\R"), text(out));
        }
    }

    @Test
    void withoutABrokerItUsesAnEmbeddedRedisAndSaysItIsPrivate() {
        int code = echo.run(new String[] {"hi"}, Map.of(), print(out), print(err));

        assertEquals(0, code, () -> text(err));
        List<String> lines = text(out).lines().toList();
        assertEquals(2, lines.size(), text(out));
        assertTrue(lines.get(0).matches("EchoEnqueue: no --broker and no \\$TASQUE_BROKER; started an embedded Redis"
                + " on redis://127\\.0\\.0\\.1:\\d+\\. It is empty and private to this process and stops when it"
                + " ends, so this is mainly for trying it out; pass --broker to reach your workers"), lines.get(0));
    }

    @Test
    void aBadArgumentSubmitsNothingAndIsAUsageError() {
        int code = echo.run(new String[] {"--broker", "redis://127.0.0.1:1", "ok", "bad"}, Map.of(), print(out),
                print(err));

        assertEquals(2, code);
        assertEquals("EchoEnqueue: give texts, none of them 'bad'; usage: " + USAGE + System.lineSeparator(),
                text(err));
        assertEquals("", text(out));
    }

    @Test
    void acceptsBrokerAndDelayOnly() {
        assertEquals(2, echo.run(new String[] {"--concurrency", "2", "x"}, Map.of(), print(out), print(err)));
        assertTrue(text(err).startsWith("EchoEnqueue: unknown option '--concurrency'; accepted: --broker, --delay;"),
                text(err));
    }

    @Test
    void anUnreachableBrokerIsAOneLineFailure() {
        int code = echo.run(new String[] {"--broker", "redis://127.0.0.1:1", "x"}, Map.of(), print(out), print(err));

        assertEquals(1, code);
        assertEquals(1, text(err).lines().count(), text(err));
        assertTrue(text(err).startsWith("EchoEnqueue: redis://127.0.0.1:1"), text(err));
        assertEquals("", text(out));
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
