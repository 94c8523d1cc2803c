package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.client.QueueCounts;
import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.InterceptedBroker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.LogCapture;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A worker facing a broken broker: a queue whose key holds the wrong type, and a broker call that throws what
 * no broker should (a bug, an Error), injected by a thin wrapper around a real Redis broker.
 */
@WithRedis
class BrokerFaultTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final RedisServer redis;
    private TasqueClient client;
    private Broker real;
    private final List<Worker> workers = new ArrayList<>();
    private LogCapture log;

    BrokerFaultTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void connect() {
        client = TasqueClient.connect(redis.uri());
        real = Brokers.open(redis.uri(), BrokerOptions.defaults());
        log = LogCapture.start();
    }

    @AfterEach
    void closeAll() {
        workers.forEach(Worker::close);
        log.close();
        real.close();
        client.close();
    }

    private Worker started(Worker.Builder b) {
        Worker w = b.shutdownHook(false).gracePeriod(Duration.ofSeconds(2)).idleBlock(Duration.ofMillis(200)).build();
        workers.add(w);
        return w.start();
    }

    @Test
    void aQueueWithACorruptKeyDoesNotStallTheOtherAndItsJobsRunAsFirstAttemptsOnceRepaired() {
        List<Task> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(Task.of("broken").set("i", i));
        }
        client.submitAll(held, Duration.ofMillis(300));
        redis.command("SET", "tasque:{broken}:ready", "x");
        Map<String, List<Integer>> attempts = new ConcurrentHashMap<>();
        Worker w = started(Worker.builder().broker(redis.uri()).janitorInterval(Duration.ofMillis(200))
                .handle("broken", t -> attempts.computeIfAbsent("broken", k -> new CopyOnWriteArrayList<>()).add(t.attempt()))
                .handle("healthy", t -> attempts.computeIfAbsent("healthy", k -> new CopyOnWriteArrayList<>()).add(t.attempt())));
        for (int i = 0; i < 20; i++) {
            client.submit(Task.of("healthy").set("i", i));
        }
        await().atMost(WAIT).until(() -> attempts.getOrDefault("healthy", List.of()).size() == 20);
        await().atMost(WAIT).until(() -> w.health().lastError() != null);
        assertTrue(w.health().lastError().startsWith("queue 'broken' broken: WRONGTYPE"), w.health().lastError());
        assertTrue(w.health().brokerReachable(), "a broken queue is not an unreachable broker");
        for (int i = 20; i < 40; i++) { // still flowing while the other queue stays broken
            client.submit(Task.of("healthy").set("i", i));
        }
        await().atMost(WAIT).until(() -> attempts.get("healthy").size() == 40);

        redis.command("DEL", "tasque:{broken}:ready");
        await().atMost(WAIT).until(() -> attempts.getOrDefault("broken", List.of()).size() == 5
                && client.admin().stats("broken").equals(new QueueCounts("broken", 0, 0, 0, 0)));
        assertEquals(List.of(1, 1, 1, 1, 1), attempts.get("broken"), "the held jobs ran as first attempts");
        assertEquals(List.of(), log.linesContaining("is unreachable"), "a data error is not an outage");
        assertEquals(1, log.linesContaining("queue 'broken' cannot be served").size(), "logged once when it broke");
        assertTrue(log.linesContaining("queue 'broken' cannot be served").get(0).contains("tasque:{broken}:ready"));
        await().atMost(WAIT).until(() -> w.health().lastError() == null);
    }

    @Test
    void anUnexpectedExceptionFromReserveIsLoggedAndTheWorkerGoesOn() {
        failOnce("reserve", () -> new IllegalStateException("injected reserve bug"));
    }

    @Test
    void anErrorFromReserveIsLoggedAndTheWorkerGoesOn() {
        failOnce("reserve", () -> new AssertionError("injected reserve error"));
    }

    @Test
    void anUnexpectedExceptionFromAckIsLoggedAndTheAckIsSentAgain() {
        failOnce("ack", () -> new IllegalStateException("injected ack bug"));
    }

    @Test
    void anErrorFromAckIsLoggedAndTheAckIsSentAgain() {
        failOnce("ack", () -> new AssertionError("injected ack error"));
    }

    @Test
    void aLoopThatKeepsFailingWithAnErrorStopsTheWorkerLoudly() {
        Worker w = started(Worker.builder().broker(faulty("reserve", Integer.MAX_VALUE, () -> new AssertionError("injected for good")))
                .handle("job", t -> { }));
        await().atMost(WAIT).until(() -> !w.isRunning());
        WorkerHealth h = w.health();
        assertEquals(false, h.running());
        assertTrue(h.lastError().startsWith("stopped: fetch loop failed 3 times in a row"), h.lastError());
        assertEquals(1, log.linesContaining("stopping the worker").size());
    }

    /** A worker whose broker throws from {@code method} once still runs every job exactly once and logs the failure. */
    private void failOnce(String method, Supplier<Throwable> failure) {
        AtomicInteger injected = new AtomicInteger();
        List<Integer> runs = new CopyOnWriteArrayList<>();
        Worker w = started(Worker.builder().broker(faulty(method, 1, () -> {
            injected.incrementAndGet();
            return failure.get();
        })).handle("job", t -> runs.add(t.param("i", Integer.class))));
        String message = failure.get().getMessage();
        client.submit(Task.of("job").set("i", 0));
        await().atMost(WAIT).until(() -> injected.get() == 1);
        for (int i = 1; i <= 10; i++) {
            client.submit(Task.of("job").set("i", i));
        }
        await().atMost(WAIT).until(() -> runs.size() == 11 && client.admin().stats("job").equals(new QueueCounts("job", 0, 0, 0, 0)));
        assertEquals(11, runs.stream().distinct().count(), "each job ran once: " + runs);
        assertTrue(w.isRunning());
        assertEquals(1, log.linesContaining("failed unexpectedly").size(), "one line for the failure: " + log.linesContaining("failed unexpectedly"));
        assertEquals(1, log.linesContaining(message).size(), "logged with its stack trace");
    }

    /** The real broker, but {@code method} throws {@code failure} on its first {@code times} calls. */
    private Broker faulty(String method, int times, Supplier<Throwable> failure) {
        AtomicInteger left = new AtomicInteger(times);
        return InterceptedBroker.before(real, (m, args) -> {
            if (m.equals(method) && left.getAndDecrement() > 0) {
                throw failure.get();
            }
        });
    }
}
