package io.tasque.bench;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.worker.Worker;

/**
 * The timed phases shared with the peer benches, each on an emptied Redis: enqueue one by one, enqueue in
 * bulk, process pre-loaded jobs at concurrency 10 and 50, end-to-end, and submit-to-handler latency at a
 * fixed rate (also in the issue's setup), plus the untimed warm-up. Every phase is bounded by the phase timeout; an overrun reports the
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

    /** The issue's latency setup: 1000 jobs/s from one thread, Worker(concurrency 16), 500 warm-up tasks first. */
    static final int ISSUE_RATE = 1_000;
    static final int ISSUE_CONCURRENCY = 16;
    static final int ISSUE_WARMUP = 500;

    /**
     * Submit-to-handler latency of one run at {@code rate} jobs/s with a worker of {@code concurrency}, after
     * {@code warmup} untimed tasks: the handler start's delay from each task's scheduled send (the pacer's slot)
     * and from its actual submit call, in milliseconds.
     */
    record Latency(int rate, int concurrency, int warmup, LatencyRecorder.Summary fromScheduled,
                   LatencyRecorder.Summary fromSubmit, int done, int total, boolean timedOut) {

        /** p50 from the submit call, as the peer benches measure it (the RESULT line's column). */
        double p50() {
            return fromSubmit.p50();
        }

        /** p99 from the submit call, as the peer benches measure it (the RESULT line's column). */
        double p99() {
            return fromSubmit.p99();
        }

        /** max from the submit call. */
        double max() {
            return fromSubmit.max();
        }

        /** {@code "p50 … ms, p99 … ms, p99.9 … ms, max … ms from the scheduled send; … from the submit call"}. */
        String describe() {
            return fromScheduled.describe() + " from the scheduled send; " + fromSubmit.describe() + " from the submit call";
        }
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
     * A worker of {@code concurrency} running; {@code warmup} untimed tasks, then {@code rate} submits per second
     * for LAT_SECONDS from one thread. Each timed task carries its scheduled send time (start + i / rate) and
     * its submit call time, so a submit call that stalls shows up in the delay of every job scheduled behind
     * it. The peers' phase runs at LAT_RATE; the issue's targets are checked at LAT2_RATE and in the issue's
     * own setup ({@link #ISSUE_RATE}, {@link #ISSUE_CONCURRENCY}, {@link #ISSUE_WARMUP}).
     */
    Latency latency(int rate, int concurrency, int warmup) throws InterruptedException {
        redis.flush();
        int total = rate * settings.latSeconds();
        LatencyRecorder fromScheduled = new LatencyRecorder(total);
        LatencyRecorder fromSubmit = new LatencyRecorder(total);
        Completions done = Completions.timing(warmup + total, fromScheduled, fromSubmit);
        int failed = 0;
        String firstError = null;
        int sent = 0;
        double sendSeconds;
        boolean finished;
        // how late the submitting thread woke for a slot it was waiting for: the bench's own share of the delay
        LatencyRecorder wakeUp = new LatencyRecorder(total);
        CpuShare cpu = null;
        CpuShare.Result shares = null;
        Worker worker = Workers.of(redis.uri(), concurrency, TASK, done).start();
        try {
            Thread.sleep(500);
            long start = System.nanoTime();
            long deadline = start + settings.phaseTimeoutNanos();
            Pacer pacer = new Pacer(start, rate);
            done.recordFrom(pacer.slotNanos(warmup));
            long lastReturn = start;
            for (int i = 0; i < warmup + total && System.nanoTime() < deadline; i++) {
                if (i == warmup) {
                    cpu = CpuShare.start(redis.serverPid());
                }
                pacer.awaitSlot(i);
                long slot = pacer.slotNanos(i);
                if (i >= warmup && lastReturn - slot < 0) {
                    wakeUp.record(System.nanoTime() - slot);
                }
                try {
                    submitter.scheduled(slot);
                    sent++;
                } catch (RuntimeException e) {
                    failed++;
                    if (firstError == null) {
                        firstError = e.toString();
                    }
                }
                lastReturn = System.nanoTime();
            }
            sendSeconds = (System.nanoTime() - pacer.slotNanos(warmup)) / 1e9;
            finished = sent == warmup + total && done.awaitUntil(deadline);
            shares = cpu == null ? null : cpu.stop();
        } finally {
            worker.close();
        }
        Latency l = new Latency(rate, concurrency, warmup, fromScheduled.percentiles().summary(),
                fromSubmit.percentiles().summary(), fromScheduled.count(), total, !finished);
        Progress.line("latency @ %d jobs/s for %d s (sent %d in %.2f s after %d warm-up), Worker(concurrency %d):"
                        + " %d/%d done, %s%s%s", rate, settings.latSeconds(), sent - Math.min(sent, warmup),
                sendSeconds, warmup, concurrency, l.done(), total, l.describe(), finished ? "" : " (TIMEOUT)",
                failed == 0 ? "" : "; " + failed + " submit(s) failed, first: " + firstError);
        LatencyRecorder.Summary woke = wakeUp.percentiles().summary();
        Progress.line("  while timed: %s; the submitting thread woke for its slot p50 %s ms, p99 %s ms, max %s ms late"
                        + " (%d slots it waited for)", shares == null ? "CPU shares not known (no /proc)" : shares.describe(),
                Numbers.ms(woke.p50()), Numbers.ms(woke.p99()), Numbers.ms(woke.max()), wakeUp.count());
        return l;
    }

    private long deadline() {
        return System.nanoTime() + settings.phaseTimeoutNanos();
    }
}
