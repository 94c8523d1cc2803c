package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tasque.client.QueueCounts;
import io.tasque.Task;
import io.tasque.client.DeadTask;
import io.tasque.client.TasqueClient;
import io.tasque.retry.RetryPolicy;
import io.tasque.testkit.LogCapture;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a run's failure decides its job's fate: retried, or dead at once when it can never succeed; and what is logged. */
@WithRedis
class HandlerOutcomeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final RedisServer redis;
    private final WorkerFixture fixture;
    private final TasqueClient client;

    HandlerOutcomeTest(RedisServer redis) {
        this.redis = redis;
        this.fixture = new WorkerFixture(redis);
        this.client = fixture.client();
    }

    @AfterEach
    void closeAll() {
        fixture.close();
    }

    private Worker.Builder worker() {
        return fixture.builder().maxAttempts(5).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(20)));
    }

    private void start(Worker.Builder b) {
        fixture.start(b);
    }

    @Test
    void aPermanentFailureGoesStraightToTheDeadLetterWithItsReasonAndNoAttemptIsWasted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicInteger runs = new AtomicInteger();
        start(worker().meterRegistry(registry).handle("gone", task -> {
            runs.incrementAndGet();
            throw new PermanentFailure("record 42 no longer exists");
        }));
        String id = client.submit(Task.of("gone"));

        await().atMost(WAIT).until(() -> client.admin().stats("gone").dead() == 1);
        DeadTask dead = client.admin().deadTasks("gone").get(0);
        assertEquals(id, dead.id());
        assertEquals(1, runs.get(), "run once, not five times");
        assertEquals(1, dead.attempts());
        assertTrue(dead.lastError().startsWith("permanent failure: record 42 no longer exists\n"), dead.lastError());
        assertTrue(dead.lastError().contains("\tat "), "the reason keeps a stack summary: " + dead.lastError());
        await().atMost(WAIT).until(() -> registry.find("tasque.jobs").tags("task", "gone", "outcome", "dead").counter() != null);
        assertEquals(1.0, registry.get("tasque.jobs").tags("task", "gone", "outcome", "dead").counter().count());
        assertNull(registry.find("tasque.jobs").tags("task", "gone", "outcome", "retried").counter(), "never retried");
    }

    @Test
    void aPermanentFailureFoundAsTheCauseOfWhatWasThrownAlsoEndsTheJob() {
        AtomicInteger runs = new AtomicInteger();
        start(worker().handle("wrapped", task -> {
            runs.incrementAndGet();
            throw new ExecutionException("remote call failed", new PermanentFailure("HTTP 404 for /a.pdf"));
        }));
        client.submit(Task.of("wrapped"));

        await().atMost(WAIT).until(() -> client.admin().stats("wrapped").dead() == 1);
        DeadTask dead = client.admin().deadTasks("wrapped").get(0);
        assertEquals(1, runs.get());
        assertTrue(dead.lastError().startsWith("permanent failure: HTTP 404 for /a.pdf\n"), dead.lastError());
        assertTrue(dead.lastError().contains("java.util.concurrent.ExecutionException: remote call failed"),
                "what was thrown is kept in the reason: " + dead.lastError());
    }

    @Test
    void exceptionsListedInNoRetryOnAndTheirSubclassesAreNotRetriedOthersAre() {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        start(worker().handle("parse", task -> {
            runs.computeIfAbsent(task.param("kind", String.class), k -> new AtomicInteger()).incrementAndGet();
            switch (task.param("kind", String.class)) {
                case "listed" -> throw new IllegalArgumentException("amount 'abc' is not a number");
                case "subclass" -> throw new NumberFormatException("For input string: \"x1\"");
                default -> throw new IllegalStateException("database busy");
            }
        }, HandlerOptions.builder().noRetryOn(IllegalArgumentException.class, ArithmeticException.class).build()));
        String listed = client.submit(Task.of("parse").set("kind", "listed"));
        String subclass = client.submit(Task.of("parse").set("kind", "subclass"));
        String other = client.submit(Task.of("parse").set("kind", "other"));

        await().atMost(WAIT).until(() -> client.admin().stats("parse").dead() == 3);
        Map<String, DeadTask> dead = new ConcurrentHashMap<>();
        client.admin().deadTasks("parse").forEach(d -> dead.put(d.id(), d));
        assertEquals(1, runs.get("listed").get());
        assertEquals(1, runs.get("subclass").get());
        assertEquals(5, runs.get("other").get(), "an exception not listed is retried as usual");
        assertTrue(dead.get(listed).lastError().startsWith(
                "permanent failure: java.lang.IllegalArgumentException: amount 'abc' is not a number (no retry on java.lang.IllegalArgumentException)\n"),
                dead.get(listed).lastError());
        assertTrue(dead.get(subclass).lastError().startsWith("permanent failure: java.lang.NumberFormatException"), dead.get(subclass).lastError());
        assertTrue(dead.get(other).lastError().startsWith("failed 5 of 5 attempts"), dead.get(other).lastError());
    }

    @Test
    void noRetryOnRejectsAMissingTypeNamingIt() {
        assertEquals("noRetryOn needs at least one exception type",
                assertThrows(IllegalArgumentException.class, () -> HandlerOptions.builder().noRetryOn()).getMessage());
        assertEquals("noRetryOn type #2 is null",
                assertThrows(IllegalArgumentException.class,
                        () -> HandlerOptions.builder().noRetryOn(IllegalStateException.class, null)).getMessage());
    }

    @Test
    void aTimedOutRunIsLoggedAndStoredAsTimedOutNotAsSleepInterrupted() {
        try (LogCapture logs = LogCapture.start()) {
            AtomicInteger runs = new AtomicInteger();
            start(worker().handle("slowpoke", task -> {
                if (runs.incrementAndGet() == 1) {
                    Thread.sleep(30_000);
                }
            }, HandlerOptions.builder().timeout(Duration.ofMillis(200)).build()));
            String id = client.submit(Task.of("slowpoke"));

            await().atMost(WAIT).until(() -> runs.get() == 2 && client.admin().stats("slowpoke").equals(new QueueCounts("slowpoke", 0, 0, 0, 0)));
            List<String> retryLines = logs.linesContaining("job slowpoke/" + id + "#1 failed");
            assertEquals(1, retryLines.size(), "one retry line: " + retryLines);
            assertTrue(retryLines.get(0).contains("retry in PT0.02S: timed out after PT0.2S (handler interrupted)"), retryLines.get(0));
            assertTrue(!retryLines.get(0).contains("sleep interrupted"), retryLines.get(0));
        }
    }

    @Test
    void aTimedOutRunsStoredErrorSaysTimedOut() {
        AtomicInteger runs = new AtomicInteger();
        start(worker().maxAttempts(1).handle("late", task -> {
            runs.incrementAndGet();
            Thread.sleep(30_000);
        }, HandlerOptions.builder().timeout(Duration.ofMillis(200)).build()));
        client.submit(Task.of("late"));

        await().atMost(WAIT).until(() -> client.admin().stats("late").dead() == 1);
        String error = client.admin().deadTasks("late").get(0).lastError();
        assertTrue(error.startsWith("failed 1 of 1 attempts; last error: timed out after PT0.2S (handler interrupted)"), error);
    }
}
