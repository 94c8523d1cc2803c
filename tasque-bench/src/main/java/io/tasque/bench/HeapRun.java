package io.tasque.bench;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.worker.Worker;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The heap over a long run: HEAP_N no-op jobs go through a {@code Worker(concurrency 50)} while a producer
 * thread submits them with {@code submitAll} in chunks of 1000, holding back while more than 100 000 are
 * queued (so Redis memory stays bounded). A {@link HeapSampler} watches the heap throughout; the run
 * reports the jobs per second, the collections (count and time) it caused, the most heap in use, the heap
 * at 10 %, 50 % and 100 % of the jobs, and the heap after a full collection before and after the run.
 */
final class HeapRun {

    static final int CONCURRENCY = 50;
    static final int CHUNK = 1_000;
    static final int MAX_QUEUED = 100_000;
    private static final long THROTTLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final RedisTarget redis;
    private final TasqueClient client;

    HeapRun(RedisTarget redis, TasqueClient client) {
        this.redis = redis;
        this.client = client;
    }

    /** The heap at one point of the run: when {@code done} jobs had finished. */
    record Point(int percent, HeapSampler.Sample sample) {
    }

    /**
     * What the run did to the heap; byte counts. {@code retainedBefore} and {@code retainedAfter} are the heap
     * in use after a {@code System.gc()} just before the producer started and just after the worker stopped.
     */
    record Result(PhaseResult phase, GcTotals gc, long maxUsed, List<Point> points, long retainedBefore,
                  long retainedAfter, int samples, String failure) {
    }

    Result measure(int n, long timeoutNanos) throws InterruptedException {
        redis.flush();
        Completions done = Completions.counting(n);
        long retainedBefore = retainedHeap();
        GcTotals gcBefore = GcTotals.now();
        HeapSampler sampler = HeapSampler.start(done::done);
        long start = System.nanoTime();
        long deadline = start + timeoutNanos;
        Producer producer = new Producer(n, done, deadline);
        boolean finished;
        long end;
        try (Worker worker = Workers.of(redis.uri(), CONCURRENCY, Scenarios.TASK, done)) {
            worker.start();
            Thread thread = new Thread(producer, "bench-heap-producer");
            thread.start();
            do {
                finished = done.awaitUntil(Math.min(deadline, System.nanoTime() + CHECK_NANOS));
            } while (!finished && System.nanoTime() < deadline && producer.firstError == null);
            producer.stop = true;
            thread.join();
            end = done.reachedAtOr(System.nanoTime());
        } finally {
            sampler.close();
        }
        GcTotals gc = GcTotals.now().since(gcBefore);
        long retainedAfter = retainedHeap();
        redis.flush();

        List<HeapSampler.Sample> samples = sampler.samples();
        List<Point> points = List.of(point(10, n, samples), point(50, n, samples), point(100, n, samples));
        PhaseResult phase = PhaseResult.between(done.done(), n, start, end, !finished);
        Result r = new Result(phase, gc, sampler.maxUsed(), points, retainedBefore, retainedAfter, samples.size(),
                producer.firstError == null ? "" : "; submitAll failed, producer stopped: " + producer.firstError);
        Progress.line("heap: %s with submitAll(%d) (at most %d queued) + Worker(concurrency %d); %s", phase.describe(),
                CHUNK, MAX_QUEUED, CONCURRENCY, String.join("; ", details(r)));
        return r;
    }

    /** GC, max heap, heap at 10/50/100 % and the heap after a full GC, one line each, for the output. */
    static List<String> details(Result r) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "GC during the run: %d collections, %d ms (%s)", r.gc().count(),
                r.gc().millis(), r.gc().describe()));
        lines.add(String.format(Locale.ROOT, "heap used: max %s MB; at %s of the jobs: %s MB in use, %s MB after the"
                        + " latest GC, old gen after its latest collection %s MB (- = none yet; %d samples every %d ms)",
                mb(r.maxUsed()), column(r, p -> p.percent() + "%"), column(r, p -> mb(p.sample().used())),
                column(r, p -> mb(p.sample().afterGc())), column(r, p -> mb(p.sample().oldGenAfterGc())),
                r.samples(), HeapSampler.PERIOD_MS));
        lines.add(String.format(Locale.ROOT, "heap after a full GC: %s MB before the run, %s MB after it%s",
                mb(r.retainedBefore()), mb(r.retainedAfter()), r.failure()));
        return lines;
    }

    private static String column(Result r, Function<Point, String> cell) {
        return r.points().stream().map(cell).collect(Collectors.joining(" / "));
    }

    static String mb(long bytes) {
        return bytes <= 0 ? "-" : String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }

    /** The first sample taken once {@code percent} of the jobs were done; the last sample if none was. */
    private static Point point(int percent, int n, List<HeapSampler.Sample> samples) {
        long want = (long) Math.ceil(n * percent / 100.0);
        for (HeapSampler.Sample s : samples) {
            if (s.done() >= want) {
                return new Point(percent, s);
            }
        }
        return new Point(percent, samples.get(samples.size() - 1));
    }

    /** Heap in use after a full collection (as far as {@code System.gc()} gets one). */
    private static long retainedHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Submits the jobs in chunks, waiting while too many are queued; stops at the deadline or on a failure. */
    private final class Producer implements Runnable {

        private final int n;
        private final Completions done;
        private final Task task = Task.of(Scenarios.TASK).set(Completions.TS, 0L);
        private final long deadline;
        private volatile boolean stop;
        private volatile String firstError;

        Producer(int n, Completions done, long deadline) {
            this.n = n;
            this.done = done;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            int submitted = 0;
            while (submitted < n && !stop && System.nanoTime() < deadline) {
                if (submitted - done.done() > MAX_QUEUED) {
                    LockSupport.parkNanos(THROTTLE_PARK_NANOS);
                    continue;
                }
                int size = Math.min(CHUNK, n - submitted);
                try {
                    submitted += client.submitAll(Collections.nCopies(size, task)).size();
                } catch (RuntimeException e) {
                    firstError = e.toString();
                    return;
                }
            }
        }
    }
}
