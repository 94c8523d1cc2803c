package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.client.QueueCounts;
import io.tasque.client.TasqueClient;
import io.tasque.retry.RetryPolicy;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import io.tasque.worker.HandlerOptions;
import io.tasque.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-task timeouts, in one JVM: a run past its timeout is interrupted and counts as a failed attempt that is
 * retried; a run that ignores the interrupt keeps its lease no longer than one lease past the timeout, so the
 * job runs again elsewhere instead of being held forever.
 */
@WithRedis
class HandlerTimeoutTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A renewal decided just before the timeout may be sent a little later on a loaded machine. */
    private static final long SCHEDULING_SLACK_MS = 500;
    private static final QueueCounts EMPTY = new QueueCounts(ChildSettings.TASK, 0, 0, 0, 0);

    private final RedisServer redis;
    private TasqueClient client;
    private Worker worker;

    HandlerTimeoutTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void setUp() {
        client = TasqueClient.connect(redis.uri());
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        client.close();
    }

    @Test
    void aRunPastItsTimeoutIsInterruptedAndRetriedAsAFailedAttempt() {
        Duration timeout = Duration.ofMillis(500);
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        AtomicLong interruptedAfterMs = new AtomicLong(-1);
        Map<Integer, String> storedErrorSeenBy = new ConcurrentHashMap<>();
        worker = Worker.builder().broker(redis.uri()).shutdownHook(false).gracePeriod(Duration.ZERO)
                .retryPolicy(RetryPolicy.fixed(Duration.ofMillis(100)))
                .handle(ChildSettings.TASK, task -> {
                    attempts.add(task.attempt());
                    if (task.attempt() == 1) {
                        long start = System.nanoTime();
                        try {
                            Thread.sleep(30_000);
                        } finally {
                            interruptedAfterMs.set((System.nanoTime() - start) / 1_000_000);
                        }
                    }
                    storedErrorSeenBy.put(task.attempt(), String.valueOf(redis.command("HGET", TasqueKeys.ERRORS, task.id())));
                }, HandlerOptions.builder().timeout(timeout).build())
                .build().start();
        client.submit(Task.of(ChildSettings.TASK));

        await().atMost(WAIT).until(() -> client.admin().stats(ChildSettings.TASK).equals(EMPTY) && attempts.size() == 2);
        assertEquals(List.of(1, 2), attempts, "the interrupted run counted as attempt 1; the retry is attempt 2");
        // measured from inside the handler, which starts a moment after the timeout's clock does
        assertTrue(interruptedAfterMs.get() >= timeout.toMillis() - 100 && interruptedAfterMs.get() < timeout.toMillis() + 2000,
                "interrupted at its timeout: after " + interruptedAfterMs.get() + " ms");
        assertTrue(storedErrorSeenBy.get(2).startsWith("timed out after PT0.5S (handler interrupted)"),
                "the timed-out run's error is kept with the job: " + storedErrorSeenBy.get(2));
    }

    @Test
    void aRunIgnoringItsInterruptLosesItsLeaseWithinOneLeaseOfItsTimeoutAndTheJobRunsAgain() {
        Duration timeout = Duration.ofSeconds(1);
        Duration lease = Duration.ofSeconds(1);
        AtomicLong firstStart = new AtomicLong();
        AtomicLong secondStart = new AtomicLong();
        AtomicBoolean letGo = new AtomicBoolean();
        worker = Worker.builder().broker(redis.uri()).shutdownHook(false).gracePeriod(Duration.ZERO).concurrency(2)
                .lease(lease).heartbeat(Duration.ofMillis(100)).janitorInterval(Duration.ofMillis(100))
                .retryPolicy(RetryPolicy.fixed(Duration.ofMillis(100)))
                .handle(ChildSettings.TASK, task -> {
                    if (task.attempt() == 1) {
                        firstStart.set(System.currentTimeMillis());
                        while (!letGo.get()) {
                            try {
                                Thread.sleep(10);
                            } catch (InterruptedException ignored) {
                                // this handler ignores its timeout
                            }
                        }
                    } else {
                        secondStart.set(System.currentTimeMillis());
                    }
                }, HandlerOptions.builder().timeout(timeout).build())
                .build().start();
        String id = client.submit(Task.of(ChildSettings.TASK));

        LeaseWatch watch = new LeaseWatch(redis, id, "1").start();
        try {
            await().atMost(WAIT).until(() -> secondStart.get() != 0);
        } finally {
            watch.close();
            letGo.set(true);
        }
        long bound = firstStart.get() + timeout.toMillis() + lease.toMillis();
        assertTrue(watch.latestDeadline() > 0, "the first run's lease was seen");
        assertTrue(watch.latestDeadline() <= bound + SCHEDULING_SLACK_MS,
                "the first run's lease never reached past timeout + lease: " + (watch.latestDeadline() - firstStart.get())
                        + " ms after its start, bound " + (bound - firstStart.get()) + " ms");
        assertTrue(secondStart.get() - firstStart.get() < timeout.toMillis() + lease.toMillis() + 5000,
                "the job ran again soon after the lease ran out: " + (secondStart.get() - firstStart.get()) + " ms");
        await().atMost(WAIT).until(() -> client.admin().stats(ChildSettings.TASK).equals(EMPTY));
    }
}
