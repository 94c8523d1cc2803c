package io.tasque.bench;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.worker.Worker;

/**
 * The timed phases shared with the peer benches, each on an emptied Redis: enqueue one by one, enqueue in
 * bulk, process pre-loaded jobs at concurrency 10 and 50, end-to-end, and submit-to-handler latency at a
 * fixed rate, plus the untimed warm-up. Every phase is bounded by the phase timeout; an overrun reports the
 * partial rate marked {@code (TIMEOUT)}.
 */
final class Scenarios {

    /** The task every timed phase submits; each submit adds its own {@code ts}. */
    static final String TASK = "noop";

    private final Settings settings;
    private final RedisTarget redis;
    private final Submitter submitter;

    Scenarios(Settings settings, RedisTarget redis, TasqueClient client) {
        this.settings = settings;
        this.redis = redis;
        this.submitter = new Submitter(client, Task.of(TASK));
    }

    /** Submit-to-handler latency percentiles of one run at {@code rate} jobs/s, in milliseconds. */
    record Latency(int rate, double p50, double p99, double max, int done, int total, boolean timedOut) {
    }

    /**
     * Untimed: WARMUP_N one-by-one submits and WARMUP_N more through {@code submitAll}, all run by a worker,
     * so the JIT has seen the submit, bulk, fetch and handler paths before anything is timed.
     */
    void warmUp() throws InterruptedException {
        int n = settings.warmupN();
        if (n == 0) {
            return;
        }
        redis.flush();
        Completions done = Completions.counting(2 * n);
        Worker worker = Workers.of(redis.uri(), 10, TASK, done).start();
        try {
            long deadline = deadline();
            Submitter.Outcome single = submitter.oneByOne(n, settings.enqParallel(), deadline);
            Submitter.Outcome bulk = submitter.inChunks(n, settings.bulkChunk(), deadline);
            boolean finished = done.awaitUntil(deadline);
            Progress.line("warm-up: %d jobs (%d submit(), %d submitAll)%s%s%s", done.done(), single.submitted(),
                    bulk.submitted(), finished ? "" : " (TIMEOUT)", single.failureNote(), bulk.failureNote());
        } finally {
            worker.close();
        }
    }

    /** N single {@code submit} calls from ENQ_PARALLEL threads sharing the client. */
    PhaseResult enqueueOneByOne() throws InterruptedException {
        redis.flush();
        Submitter.Outcome sent = submitter.oneByOne(settings.n(), settings.enqParallel(), deadline());
        PhaseResult r = sent.asPhase(settings.n());
        Progress.line("enqueue submit() x%d threads: %s%s", settings.enqParallel(), r.describe(), sent.failureNote());
        return r;
    }

    /** N tasks through {@code submitAll} in chunks of BULK_CHUNK. */
    PhaseResult enqueueBulk() {
        redis.flush();
        Submitter.Outcome sent = submitter.inChunks(settings.n(), settings.bulkChunk(), deadline());
        PhaseResult r = sent.asPhase(settings.n());
        Progress.line("enqueue submitAll(%d): %s%s", settings.bulkChunk(), r.describe(), sent.failureNote());
        return r;
    }

    /** N jobs pre-loaded, then a worker of the given concurrency; timed from its start to the N-th handler run. */
    PhaseResult process(int concurrency) throws InterruptedException {
        redis.flush();
        Submitter.Outcome loaded = submitter.inChunks(settings.n(), settings.bulkChunk(), deadline());
        int target = loaded.submitted();
        if (target < settings.n()) {
            Progress.line("process c=%d: only %d of %d jobs could be pre-loaded%s", concurrency, target,
                    settings.n(), loaded.failureNote());
        }
        Completions done = Completions.counting(target);
        PhaseResult r;
        try (Worker worker = Workers.of(redis.uri(), concurrency, TASK, done)) {
            long start = System.nanoTime();
            worker.start();
            boolean finished = done.awaitUntil(start + settings.phaseTimeoutNanos());
            long now = System.nanoTime();
            int count = done.done();
            r = PhaseResult.between(count, target, start, done.reachedAtOr(now), !finished);
        }
        Progress.line("process Worker(concurrency %d): %s", concurrency, r.describe());
        return r;
    }

    /** A worker of concurrency 50 already running, then N one-by-one submits; N / (first submit to last run). */
    PhaseResult endToEnd() throws InterruptedException {
        redis.flush();
        int n = settings.n();
        Completions done = Completions.counting(n);
        PhaseResult r;
        Submitter.Outcome sent;
        Worker worker = Workers.of(redis.uri(), 50, TASK, done).start();
        try {
            long deadline = deadline();
            sent = submitter.oneByOne(n, settings.enqParallel(), deadline);
            boolean finished = done.awaitUntil(sent.startNanos() + settings.phaseTimeoutNanos());
            long now = System.nanoTime();
            int count = done.done();
            r = PhaseResult.between(count, n, sent.startNanos(), done.reachedAtOr(now), !finished);
        } finally {
            worker.close();
        }
        Progress.line("end-to-end (submit x%d threads + Worker(concurrency 50)): %s; enqueue side %s jobs/s while"
                + " overlapped%s", settings.enqParallel(), r.describe(), Numbers.whole(sent.asPhase(n).rate()),
                sent.failureNote());
        return r;
    }

    /**
     * A worker of concurrency 10 running; {@code rate} submits per second for LAT_SECONDS from one thread. The
     * peers' phase runs at LAT_RATE; the target is checked with a second run at LAT2_RATE.
     */
    Latency latency(int rate) throws InterruptedException {
        redis.flush();
        int total = rate * settings.latSeconds();
        LatencyRecorder recorder = new LatencyRecorder(total);
        Completions done = Completions.timing(total, recorder);
        int failed = 0;
        String firstError = null;
        int sent = 0;
        double sendSeconds;
        boolean finished;
        Worker worker = Workers.of(redis.uri(), 10, TASK, done).start();
        try {
            Thread.sleep(500);
            long start = System.nanoTime();
            long deadline = start + settings.phaseTimeoutNanos();
            Pacer pacer = new Pacer(start, rate);
            for (int i = 0; i < total && System.nanoTime() < deadline; i++) {
                pacer.awaitSlot(i);
                try {
                    submitter.one();
                    sent++;
                } catch (RuntimeException e) {
                    failed++;
                    if (firstError == null) {
                        firstError = e.toString();
                    }
                }
            }
            sendSeconds = (System.nanoTime() - start) / 1e9;
            finished = sent == total && done.awaitUntil(deadline);
        } finally {
            worker.close();
        }
        LatencyRecorder.Percentiles p = recorder.percentiles();
        Latency l = new Latency(rate, p.ms(50), p.ms(99), p.maxMs(), recorder.count(), total, !finished);
        Progress.line("latency @ %d jobs/s for %d s (sent %d in %.2f s), Worker(concurrency 10): %d/%d done,"
                        + " p50=%s ms p99=%s ms max=%s ms%s%s", rate, settings.latSeconds(), sent,
                sendSeconds, l.done(), total, Numbers.ms(l.p50()), Numbers.ms(l.p99()), Numbers.ms(l.max()),
                finished ? "" : " (TIMEOUT)", failed == 0 ? "" : "; " + failed + " submit(s) failed, first: " + firstError);
        return l;
    }

    private long deadline() {
        return System.nanoTime() + settings.phaseTimeoutNanos();
    }
}
