package io.tasque.bench;

import io.tasque.Task;
import io.tasque.worker.TaskHandler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's no-op handler: counts handler runs, notes the time the target-th one finished, and, when
 * given {@link LatencyRecorder}s, records for each task carrying both times how long ago its scheduled send
 * ({@code sched}, the pacer's slot) and its submit call ({@code ts}, a {@link System#nanoTime()} taken just
 * before submit) were. Measuring from the scheduled send keeps a submit call that stalled from hiding the
 * jobs queued up behind it (coordinated omission).
 */
final class Completions implements TaskHandler {

    /** The parameter carrying the submit time in {@link System#nanoTime()} units. */
    static final String TS = "ts";
    /** The parameter carrying the scheduled send time in {@link System#nanoTime()} units. */
    static final String SCHEDULED = "sched";

    private final int target;
    private final LatencyRecorder fromScheduled;
    private final LatencyRecorder fromSubmit;
    private final AtomicInteger done = new AtomicInteger();
    private volatile boolean recordingFrom;
    private volatile long recordFrom;
    private final CountDownLatch reached = new CountDownLatch(1);
    private volatile long reachedAt;

    private Completions(int target, LatencyRecorder fromScheduled, LatencyRecorder fromSubmit) {
        this.target = target;
        this.fromScheduled = fromScheduled;
        this.fromSubmit = fromSubmit;
    }

    /** Counts runs until {@code target}. */
    static Completions counting(int target) {
        return new Completions(target, null, null);
    }

    /**
     * Counts runs until {@code target} and records the handler start's delay from the scheduled send and from
     * the submit call of every task that carries both times and is not scheduled before {@link #recordFrom}.
     */
    static Completions timing(int target, LatencyRecorder fromScheduled, LatencyRecorder fromSubmit) {
        return new Completions(target, fromScheduled, fromSubmit);
    }

    @Override
    public void handle(Task task) {
        if (fromScheduled != null) {
            long now = System.nanoTime();
            Long scheduled = task.param(SCHEDULED, Long.class);
            Long ts = task.param(TS, Long.class);
            if (scheduled != null && ts != null && (!recordingFrom || scheduled - recordFrom >= 0)) {
                fromScheduled.record(now - scheduled);
                fromSubmit.record(now - ts);
            }
        }
        if (done.incrementAndGet() == target) {
            reachedAt = System.nanoTime();
            reached.countDown();
        }
    }

    /** Records only tasks scheduled at or after {@code scheduledNanos}; earlier ones (a warm-up) are only counted. */
    void recordFrom(long scheduledNanos) {
        recordFrom = scheduledNanos;
        recordingFrom = true;
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
