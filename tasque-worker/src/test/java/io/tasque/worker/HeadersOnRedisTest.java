package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.client.DeadTask;
import io.tasque.client.TasqueClient;
import io.tasque.retry.RetryPolicy;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.slf4j.TestMdc;

/** Headers, submit and handler interceptors and the handler MDC, end to end through a real Redis. */
@WithRedis
class HeadersOnRedisTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final RedisServer redis;
    private final WorkerFixture fixture;
    private final TasqueClient client;

    HeadersOnRedisTest(RedisServer redis) {
        this.redis = redis;
        this.fixture = new WorkerFixture(redis);
        this.client = TasqueClient.builder().broker(redis.uri())
                .intercept(t -> t.header("submitted-by", "billing"))
                .build();
    }

    @BeforeAll
    static void workingMdc() {
        TestMdc.useWorkingAdapter();
    }

    @AfterEach
    void closeAll() {
        fixture.close();
        client.close();
    }

    @Test
    void headersOfTheTaskAndTheSubmitInterceptorReachTheHandlerForEverySubmitKindWithTheMdcSet() {
        Map<String, Task> handled = new ConcurrentHashMap<>();
        Map<String, Map<String, String>> mdc = new ConcurrentHashMap<>();
        List<String> order = new CopyOnWriteArrayList<>();
        fixture.start(fixture.builder().concurrency(2)
                .intercept((task, next) -> {
                    order.add(task.header("trace") + ":outer");
                    next.proceed();
                })
                .intercept((task, next) -> {
                    order.add(task.header("trace") + ":inner");
                    next.proceed();
                })
                .handle("hdr", task -> {
                    order.add(task.header("trace") + ":handler");
                    mdc.put(task.header("trace"), MDC.getCopyOfContextMap());
                    handled.put(task.header("trace"), task);
                }));

        String now = client.submit(Task.of("hdr").set("k", 1).header("trace", "now").header("tenant", "acme"));
        String later = client.submit(Task.of("hdr").header("trace", "later"), Duration.ofMillis(200));
        List<String> batch = client.submitAll(List.of(Task.of("hdr").header("trace", "b1"), Task.of("hdr").header("trace", "b2")));
        await().atMost(WAIT).until(() -> handled.size() == 4);

        assertEquals(Map.of("trace", "now", "tenant", "acme", "submitted-by", "billing"), handled.get("now").headers());
        assertEquals(1, handled.get("now").param("k", Integer.class));
        assertEquals(Map.of("trace", "later", "submitted-by", "billing"), handled.get("later").headers());
        assertEquals(Map.of("trace", "b1", "submitted-by", "billing"), handled.get("b1").headers());
        assertEquals(Map.of("trace", "b2", "submitted-by", "billing"), handled.get("b2").headers());
        // two handler threads: the runs of different jobs interleave, so the order is checked job by job
        for (String trace : List.of("now", "later", "b1", "b2")) {
            List<String> ofThisJob = order.stream().filter(e -> e.startsWith(trace + ":")).toList();
            assertEquals(List.of(trace + ":outer", trace + ":inner", trace + ":handler"), ofThisJob, order.toString());
        }
        assertEquals(Map.of("tasque.job", now, "tasque.task", "hdr", "tasque.attempt", "1"), mdc.get("now"));
        assertEquals(later, mdc.get("later").get("tasque.job"));
        assertEquals(batch.get(1), mdc.get("b2").get("tasque.job"));
    }

    @Test
    void anInterceptorThatThrowsFailsTheRunWhichIsRetriedWithItsHeadersAndTheMdcShowsTheAttempt() {
        AtomicInteger refused = new AtomicInteger();
        Map<Integer, Map<String, String>> seen = new ConcurrentHashMap<>();
        fixture.start(fixture.builder()
                .retryPolicy(RetryPolicy.fixed(Duration.ofMillis(50)))
                .intercept((task, next) -> {
                    if (task.attempt() == 1) {
                        refused.incrementAndGet();
                        throw new SecurityException("tenant " + task.header("tenant") + " not yet allowed");
                    }
                    next.proceed();
                })
                .handle("guarded", task -> seen.put(task.attempt(), Map.of("tenant", task.header("tenant"),
                        "mdc-attempt", MDC.get("tasque.attempt")))));

        client.submit(Task.of("guarded").header("tenant", "acme"));
        await().atMost(WAIT).until(() -> seen.containsKey(2));

        assertEquals(1, refused.get());
        assertEquals(Map.of(2, Map.of("tenant", "acme", "mdc-attempt", "2")), seen);
    }

    @Test
    void aDeadJobKeepsItsHeadersWhenListedAndWhenRetried() {
        Map<Integer, Map<String, String>> seen = new ConcurrentHashMap<>();
        Worker w = fixture.start(fixture.builder().maxAttempts(1).handle("dies", task -> {
            seen.put(seen.size() + 1, task.headers());
            if (seen.size() == 1) {
                throw new IllegalStateException("first run fails");
            }
        }));
        client.submit(Task.of("dies").header("trace", "t-9"));
        await().atMost(WAIT).until(() -> client.admin().deadTasks("dies").size() == 1);

        DeadTask dead = client.admin().deadTasks("dies").get(0);
        assertEquals(Map.of("trace", "t-9", "submitted-by", "billing"), dead.task().headers());
        assertTrue(client.admin().retryDead("dies", dead.id()).retried());
        await().atMost(WAIT).until(() -> seen.size() == 2);
        assertEquals(seen.get(1), seen.get(2));
        assertTrue(w.isRunning());
    }
}
