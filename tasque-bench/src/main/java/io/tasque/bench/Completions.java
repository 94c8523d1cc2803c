package io.tasque.bench;

import io.tasque.Task;
import io.tasque.worker.TaskHandler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's no-op handler: counts handler runs, notes the time the target-th one finished, and, when
 * given a {@link LatencyRecorder}, records how long ago the task's {@code ts} parameter (a
 * {@link System#nanoTime()} taken just before submit) was.
 */
final class Completions implements TaskHandler {

    /** The parameter carrying the submit time in {@link System#nanoTime()} units. */
    static final String TS = "ts";

    private final int target;
    private final LatencyRecorder latencies;
    private final AtomicInteger done = new AtomicInteger();
    private final CountDownLatch reached = new CountDownLatch(1);
    private volatile long reachedAt;

    private Completions(int target, LatencyRecorder latencies) {
        this.target = target;
        this.latencies = latencies;
    }

    /** Counts runs until {@code target}. */
    static Completions counting(int target) {
        return new Completions(target, null);
    }

    /** Counts runs until {@code target} and records submit-to-handler latencies. */
    static Completions timing(int target, LatencyRecorder latencies) {
        return new Completions(target, latencies);
    }

    @Override
    public void handle(Task task) {
        if (latencies != null) {
            Long ts = task.param(TS, Long.class);
            if (ts != null) {
                latencies.record(System.nanoTime() - ts);
            }
        }
        if (done.incrementAndGet() == target) {
            reachedAt = System.nanoTime();
            reached.countDown();
        }
    }

    /** Waits until the target-th run has finished or the deadline ({@link System#nanoTime()}) passed. */
    boolean awaitUntil(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        return reached.await(Math.max(0, left), TimeUnit.NANOSECONDS);
    }

    /** Handler runs so far. */
    int done() {
        return done.get();
    }

    /** When the target-th run finished, or {@code fallback} if it has not yet. */
    long reachedAtOr(long fallback) {
        return reached.getCount() == 0 ? reachedAt : fallback;
    }
}
