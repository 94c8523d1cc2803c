package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.BrokerException;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.LogCapture;
import io.tasque.testkit.RedisServer;
import io.tasque.worker.Worker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A broker password never shows: not in the worker's log lines (the start line prints its configuration), not
 * in the exceptions of a broker that cannot be reached, not in the broker names the API hands out.
 */
class PasswordLogTest {

    private static final String PASSWORD = "Hunter2-Zq81";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        // set after the start, so the testkit's readiness PING needs no password
        redis.command("CONFIG", "SET", "requirepass", PASSWORD);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private static String uriWithPassword(int port) {
        return "redis://default:" + PASSWORD + "@127.0.0.1:" + port;
    }

    @Test
    void aWorkerStartedFromAUriWithAPasswordLogsNoPassword() {
        Set<String> done = ConcurrentHashMap.newKeySet();
        List<String> lines;
        try (LogCapture log = LogCapture.start();
                TasqueClient client = TasqueClient.connect(uriWithPassword(redis.port()))) {
            Worker worker = Worker.builder().broker(uriWithPassword(redis.port())).shutdownHook(false)
                    .handle("secret", task -> done.add(task.id())).build().start();
            try {
                String id = client.submit(Task.of("secret"));
                await().atMost(WAIT).until(() -> done.contains(id));
                assertEquals("redis://127.0.0.1:" + redis.port() + "/0", worker.broker());
                assertEquals("redis://127.0.0.1:" + redis.port() + "/0", client.broker());
            } finally {
                worker.close();
            }
            lines = log.lines();
        }
        List<String> started = lines.stream().filter(l -> l.contains("tasque worker started")).toList();
        assertEquals(1, started.size(), "one start line in: " + lines);
        assertTrue(started.get(0).contains("broker=redis://127.0.0.1:" + redis.port() + "/0"), started.get(0));
        for (String line : lines) {
            assertFalse(line.contains(PASSWORD), "the password leaked into the log: " + line);
        }
    }

    @Test
    void anUnreachableBrokerWithAPasswordFailsWithoutShowingIt() {
        try (LogCapture log = LogCapture.start()) {
            try (TasqueClient client = TasqueClient.builder().broker(uriWithPassword(1))
                    .enqueueTimeout(Duration.ofMillis(500)).build()) {
                BrokerException e = assertThrows(BrokerException.class, () -> client.submit(Task.of("secret")));
                assertTrue(e.getMessage().contains("redis://127.0.0.1:1/0"), e.getMessage());
                assertFalse(stackTrace(e).contains(PASSWORD), "the password leaked into: " + stackTrace(e));
            }
            Worker worker = Worker.builder().broker(uriWithPassword(1)).shutdownHook(false)
                    .handle("secret", task -> { }).build().start();
            try {
                await().atMost(WAIT).until(() -> !log.linesContaining("unreachable").isEmpty());
            } finally {
                worker.close();
            }
            for (String line : log.lines()) {
                assertFalse(line.contains(PASSWORD), "the password leaked into the log: " + line);
            }
        }
    }

    private static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
