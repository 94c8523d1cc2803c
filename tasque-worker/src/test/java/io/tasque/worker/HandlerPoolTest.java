package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandlerPoolTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    private HandlerPool pool;

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.stop(WAIT);
        }
    }

    @Test
    void runsEveryJobOfEveryBatch() throws InterruptedException {
        pool = started(4);
        CountDownLatch done = new CountDownLatch(10_000);
        for (int batch = 0; batch < 100; batch++) {
            pool.execute(jobs(100, done::countDown), false);
        }
        assertTrue(done.await(WAIT.toSeconds(), TimeUnit.SECONDS), done.getCount() + " jobs never ran");
    }

    @Test
    void slowJobsEachGetAThreadAtOnce() throws InterruptedException {
        pool = started(5);
        CyclicBarrier allAtOnce = new CyclicBarrier(5);
        CountDownLatch done = new CountDownLatch(5);
        pool.execute(jobs(5, () -> {
            awaitQuietly(allAtOnce);
            done.countDown();
        }), false);
        assertTrue(done.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the five jobs did not run side by side");
    }

    @Test
    void jobsStuckBehindSlowOnesGetThreadsWhenNudged() throws InterruptedException {
        CountDownLatch done = slowBatchAfterQuickOnes();
        // the main fetch lane calls nudge() every tick while it waits; here the test does
        await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() -> {
            pool.nudge();
            return done.getCount() == 0;
        });
    }

    @Test
    void wakeForEveryJobStartsEveryWaitingJob() throws InterruptedException {
        CountDownLatch done = slowBatchAfterQuickOnes();
        pool.wakeForEveryJob();
        assertTrue(done.await(WAIT.toSeconds(), TimeUnit.SECONDS), "waiting jobs were not all started");
    }

    @Test
    void stopDropsTheJobsNotStartedAndInterruptsTheRunningOne() throws InterruptedException {
        pool = started(1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        pool.execute(List.of(() -> {
            running.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), false);
        assertTrue(running.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        pool.execute(jobs(3, ran::incrementAndGet), false);
        assertTrue(pool.stop(WAIT), "the running job was interrupted and every thread ended within the grace");
        assertEquals(0, ran.get(), "the jobs waiting for a thread were dropped");
    }

    /**
     * Starts a pool of CPUS + 3 threads, teaches it that jobs are quick (so a batch wakes only a CPU's worth of
     * threads), then queues one job per thread that finishes only when all of them run at once.
     */
    private CountDownLatch slowBatchAfterQuickOnes() throws InterruptedException {
        int size = CPUS + 3;
        pool = started(size);
        CountDownLatch quick = new CountDownLatch(2000);
        for (int i = 0; i < 20; i++) {
            pool.execute(jobs(100, quick::countDown), false);
        }
        assertTrue(quick.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        CyclicBarrier allAtOnce = new CyclicBarrier(size);
        CountDownLatch done = new CountDownLatch(size);
        pool.execute(jobs(size, () -> {
            awaitQuietly(allAtOnce);
            done.countDown();
        }), false);
        return done;
    }

    private static HandlerPool started(int size) {
        HandlerPool p = new HandlerPool(size, "test-handler-");
        p.start();
        return p;
    }

    private static List<Runnable> jobs(int n, Runnable body) {
        List<Runnable> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(body);
        }
        return out;
    }

    private static void awaitQuietly(CyclicBarrier barrier) {
        try {
            barrier.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("barrier broken: the jobs did not run side by side", e);
        }
    }
}
