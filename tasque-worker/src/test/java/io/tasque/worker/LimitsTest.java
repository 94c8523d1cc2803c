package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rate limits, caps on running jobs and weights, through a real Redis and a real worker. */
@WithRedis
class LimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final WorkerFixture fixture;
    private final TasqueClient client;

    LimitsTest(RedisServer redis) {
        this.fixture = new WorkerFixture(redis);
        this.client = TasqueClient.connect(redis.uri());
    }

    @AfterEach
    void closeAll() {
        fixture.close();
        client.close();
    }

    private void submit(String name, int n, Map<String, Object> params) {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Task t = Task.of(name);
            for (Map.Entry<String, Object> p : params.entrySet()) {
                t = t.set(p.getKey(), p.getValue());
            }
            tasks.add(t);
        }
        client.submitAll(tasks);
    }

    /** The most starts in any window of {@code windowMillis} (System.nanoTime stamps). */
    static int mostInAnyWindow(List<Long> startsNanos, long windowMillis) {
        List<Long> sorted = new ArrayList<>(startsNanos);
        sorted.sort(null);
        int most = 0;
        int from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (sorted.get(to) - sorted.get(from) >= windowMillis * 1_000_000) {
                from++;
            }
            most = Math.max(most, to - from + 1);
        }
        return most;
    }

    @Test
    void aRateLimitSpreadsStartsSoNoSecondSeesMoreThanThePermits() {
        submit("api", 60, Map.of());
        List<Long> starts = new CopyOnWriteArrayList<>();
        fixture.start(fixture.builder().concurrency(8)
                .handle("api", task -> starts.add(System.nanoTime()), HandlerOptions.builder().rateLimit(10, Duration.ofSeconds(1)).build()));
        await().atMost(WAIT).until(() -> starts.size() >= 25);
        long spanMillis = (starts.get(24) - starts.get(0)) / 1_000_000;
        assertTrue(mostInAnyWindow(starts, 1000) <= 10, "most starts in one second: " + mostInAnyWindow(starts, 1000));
        assertTrue(spanMillis >= 2400 && spanMillis < 3500, "25 starts at 10/s took " + spanMillis + " ms");
        assertEquals(0, client.admin().stats("api").dead());
    }

    @Test
    void aRateLimitByParamKeepsTwoHostsIndependent() {
        submit("fetch", 12, Map.of("host", "a"));
        submit("fetch", 12, Map.of("host", "b"));
        Map<String, List<Long>> starts = new ConcurrentHashMap<>();
        fixture.start(fixture.builder().concurrency(8).handle("fetch",
                task -> starts.computeIfAbsent(task.param("host", String.class), h -> new CopyOnWriteArrayList<>()).add(System.nanoTime()),
                HandlerOptions.builder().rateLimitBy("host", 5, Duration.ofSeconds(1)).build()));
        await().atMost(WAIT).until(() -> starts.getOrDefault("a", List.of()).size() >= 10 && starts.getOrDefault("b", List.of()).size() >= 10);
        for (String host : List.of("a", "b")) {
            List<Long> s = starts.get(host);
            assertTrue(mostInAnyWindow(s, 1000) <= 5, host + ": " + mostInAnyWindow(s, 1000) + " starts in one second");
            // each host alone: ten starts 204 ms apart take about 1.8 s; one limit shared by both would take twice that
            long tenStarts = (s.get(9) - s.get(0)) / 1_000_000;
            assertTrue(tenStarts < 2600, host + "'s first ten starts took " + tenStarts + " ms: the hosts waited on each other");
        }
        assertEquals(0, client.admin().stats("fetch").dead());
    }

    @Test
    void maxRunningCapsTheRunsAtOnceWhateverTheConcurrency() {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        submit("report", 12, Map.of());
        fixture.start(fixture.builder().concurrency(6).handle("report", task -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                Thread.sleep(100);
            } finally {
                now.decrementAndGet();
                done.incrementAndGet();
            }
        }, HandlerOptions.builder().maxRunning(2).build()));
        await().atMost(WAIT).until(() -> done.get() == 12);
        assertEquals(2, most.get(), "at most 2 at once, and the cap was used");
    }

    @Test
    void weightsShareTheSlotsBetweenTwoBackloggedQueuesThreeToOne() {
        submit("heavy", 400, Map.of());
        submit("light", 400, Map.of());
        List<String> order = new CopyOnWriteArrayList<>();
        TaskHandler work = task -> {
            order.add(task.name());
            Thread.sleep(2);
        };
        fixture.start(fixture.builder().concurrency(4)
                .handle("heavy", work, HandlerOptions.builder().weight(3).build())
                .handle("light", work, HandlerOptions.INHERIT));
        await().atMost(WAIT).until(() -> order.size() >= 300);
        List<String> first = List.copyOf(order).subList(0, 300);
        long heavy = first.stream().filter("heavy"::equals).count();
        double ratio = heavy / (double) (300 - heavy);
        System.out.println("weights 3:1: " + heavy + " heavy and " + (300 - heavy) + " light of the first 300 runs, ratio " + ratio);
        assertTrue(ratio >= 2.7 && ratio <= 3.3, "ratio " + ratio + " (" + heavy + " of 300)");
    }

    @Test
    void aBrokerThatCannotApplyLimitsRefusesThemAtBuildNamingTheTask() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Worker.builder().broker("memory://limits-refused")
                .shutdownHook(false).handle("api", task -> { }, HandlerOptions.builder().rateLimit(5, Duration.ofSeconds(1)).build()).build());
        assertTrue(e.getMessage().contains("'api'") && e.getMessage().contains("memory://limits-refused"), e.getMessage());
    }

    @Test
    void badLimitsAreRefusedNamingTheValue() {
        assertEquals("rate limit permits must be >= 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> HandlerOptions.builder().rateLimit(0, Duration.ofSeconds(1))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HandlerOptions.builder().rateLimit(5000, Duration.ofSeconds(1)))
                .getMessage().contains("5000 per PT1S"));
        assertEquals("rateLimitBy needs a param key, was ' '",
                assertThrows(IllegalArgumentException.class, () -> HandlerOptions.builder().rateLimitBy(" ", 1, Duration.ofSeconds(1))).getMessage());
        assertEquals("maxRunning must be >= 1, was 0", assertThrows(IllegalArgumentException.class, () -> HandlerOptions.builder().maxRunning(0)).getMessage());
        assertEquals("weight must be between 1 and 1000, was 0", assertThrows(IllegalArgumentException.class, () -> HandlerOptions.builder().weight(0)).getMessage());
    }
}
