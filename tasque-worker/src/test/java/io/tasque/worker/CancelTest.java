package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tasque.Task;
import io.tasque.client.JobInfo;
import io.tasque.client.JobState;
import io.tasque.client.QueueCounts;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cancelling jobs through a real Redis: waiting ones never run, a running one's handler is interrupted and its run ends as cancelled. */
@WithRedis
class CancelTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final WorkerFixture fixture;
    private final TasqueClient client;

    CancelTest(RedisServer redis) {
        this.fixture = new WorkerFixture(redis);
        this.client = TasqueClient.connect(redis.uri());
    }

    @AfterEach
    void closeAll() {
        fixture.close();
        client.close();
    }

    @Test
    void aRunningHandlerIsInterruptedWithinAboutASecondAndItsJobIsNeitherRetriedNorDeadLettered() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        fixture.start(fixture.builder().meterRegistry(meters).retryBackoff(Duration.ofMillis(10), 1, Duration.ofMillis(10))
                .handle("long", task -> {
                    runs.incrementAndGet();
                    started.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                }));
        String id = client.submit(Task.of("long").id("report-7"));
        assertTrue(started.await(20, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(JobState.RUNNING, client.admin().job("long", id).orElseThrow().state());

        long cancelledAt = System.nanoTime();
        assertTrue(client.cancel("long", id));
        assertTrue(interrupted.await(5, java.util.concurrent.TimeUnit.SECONDS), "the handler was interrupted");
        long tookMillis = (System.nanoTime() - cancelledAt) / 1_000_000;
        assertTrue(tookMillis < 3_000, "interrupted " + tookMillis + " ms after the cancel");

        await().atMost(WAIT).until(() -> client.admin().job("long", id).orElseThrow().params().isEmpty());
        JobInfo info = client.admin().job("long", id).orElseThrow();
        assertEquals(JobState.CANCELLED, info.state());
        assertEquals(new QueueCounts("long", 0, 0, 0, 0), client.admin().stats("long"), "not retried, not dead-lettered");
        await().atMost(WAIT).until(() -> meters.find("tasque.jobs").tag("outcome", "cancelled").counter() != null);
        assertEquals(1.0, meters.find("tasque.jobs").tag("outcome", "cancelled").counter().count());
        assertEquals(1, runs.get(), "the job ran once");
        assertFalse(client.cancel("long", id), "a finished cancel is not repeated");
    }

    @Test
    void readyAndDelayedJobsCancelledBeforeAWorkerStartsNeverRun() {
        String ready = client.submit(Task.of("w").set("n", 1));
        String delayed = client.submit(Task.of("w").set("n", 2), Duration.ofMillis(300));
        String kept = client.submit(Task.of("w").set("n", 3));
        assertTrue(client.cancel("w", ready));
        assertTrue(client.cancel("w", delayed));
        Set<String> ran = ConcurrentHashMap.newKeySet();
        String marker = client.submit(Task.of("w").set("n", 4), Duration.ofMillis(600));
        fixture.start(fixture.builder().handle("w", task -> ran.add(task.id())));
        await().atMost(WAIT).until(() -> ran.contains(marker));
        assertEquals(Set.of(kept, marker), ran);
        assertEquals(JobState.CANCELLED, client.admin().job("w", ready).orElseThrow().state());
        assertEquals(JobState.CANCELLED, client.admin().job("w", delayed).orElseThrow().state());
    }

    @Test
    void aCancelRacingTheJobsCompletionHasOneWinnerEveryTime() throws Exception {
        int n = 300;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(client.submit(Task.of("race").id("race-" + i).set("ms", 10 + i % 8)));
        }
        // the cancels go out, oldest job first, once the worker is under way: the first jobs finish before their
        // cancel, the last are cancelled while ready, and those between race it while they run
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AtomicInteger handled = new AtomicInteger();
        CountDownLatch underWay = new CountDownLatch(20);
        fixture.start(fixture.builder().concurrency(8).meterRegistry(meters).handle("race", task -> {
            Thread.sleep(task.param("ms", Integer.class));
            handled.incrementAndGet();
            underWay.countDown();
        }));
        assertTrue(underWay.await(20, java.util.concurrent.TimeUnit.SECONDS), "the worker got under way");
        Map<String, Boolean> cancelled = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (String id : ids) {
                calls.add(pool.submit(() -> cancelled.put(id, client.cancel("race", id))));
            }
            for (Future<?> f : calls) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        await().atMost(WAIT).until(() -> client.admin().stats("race").equals(new QueueCounts("race", 0, 0, 0, 0)));
        int won = 0;
        for (String id : ids) {
            JobState state = client.admin().job("race", id).orElseThrow().state();
            if (cancelled.get(id)) {
                won++;
                assertEquals(JobState.CANCELLED, state, id + ": the cancel returned true");
            } else {
                assertEquals(JobState.SUCCEEDED, state, id + ": the cancel returned false");
            }
        }
        double succeeded = counted(meters, "succeeded");
        assertEquals(n - won, (int) succeeded, "every job whose cancel lost was acked once, no other");
        assertTrue(won > 0 && won < n, "the race had both outcomes: " + won + " of " + n + " cancelled");
    }

    private static double counted(SimpleMeterRegistry meters, String outcome) {
        var c = meters.find("tasque.jobs").tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }
}
