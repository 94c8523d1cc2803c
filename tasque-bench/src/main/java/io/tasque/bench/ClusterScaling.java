package io.tasque.bench;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cluster scaling mode ({@code --cluster}): how one logical queue scales when it is split into partitions over
 * 1, 2 and 3 Redis Cluster masters on this machine. Each setup is started privately (a cluster without replicas:
 * they would cost CPU and are not what is measured), the queue is split so every master holds the same number of
 * partitions, and, after an untimed warm-up, two phases run with one Worker(concurrency 50) in this JVM:
 * <ul>
 *   <li>end-to-end: the worker running, N jobs submitted one by one from CLUSTER_PRODUCERS threads; N / (first
 *       submit to the N-th handler run);</li>
 *   <li>process-only: N jobs pre-loaded with submitAll, then the worker started; N / (start to the N-th run).</li>
 * </ul>
 * Beside jobs/s, which depend on the machine, each phase reports CPU microseconds per job of this JVM and of all
 * the redis-servers, the busiest master's share of one core (a Redis is single-threaded: near 100 % it is the
 * limit) and how many Lua script calls (reserve, ack…) and commands per job the servers answered. The same harness
 * runs first on one plain redis-server ({@code redis://}) as the reference, and last on one master with as many
 * partitions as the largest cluster, to separate the cost of partitions from the gain of masters. Before all of
 * them an untimed pass over a plain server and the largest cluster warms the JIT up, so the setups measured first
 * do not pay for compiling what the later ones run.
 */
final class ClusterScaling {

    /** The benchmark's queue: partitions 0..2 of "noop" land on three different masters of three, 0..1 on both of two. */
    static final String QUEUE = Scenarios.TASK;
    static final int CONCURRENCY = 50;

    private final ClusterSettings settings;

    ClusterScaling(ClusterSettings settings) {
        this.settings = settings;
    }

    /** The figures of one phase. */
    record Phase(PhaseResult result, CpuMeter.Result cpu, long commands, long scripts) {

        double cpuPerJob() {
            return cpu == null ? Double.NaN : cpu.jvmMicrosPerJob(result.done()) + cpu.redisMicrosPerJob(result.done());
        }

        double jvmPerJob() {
            return cpu == null ? Double.NaN : cpu.jvmMicrosPerJob(result.done());
        }

        double redisPerJob() {
            return cpu == null ? Double.NaN : cpu.redisMicrosPerJob(result.done());
        }

        double busiest() {
            return cpu == null ? Double.NaN : cpu.busiestRedisPercent();
        }

        double perJob(long calls) {
            return result.done() == 0 ? Double.NaN : (double) calls / result.done();
        }

        /** {@code "12.3 µs (jvm 8.1 + redis 4.2)"}. */
        String cpuText() {
            return String.format(Locale.ROOT, "%.1f µs (jvm %.1f + redis %.1f)", cpuPerJob(), jvmPerJob(), redisPerJob());
        }

        /** Per-master shares, scripts and commands per job, other processes. */
        String details() {
            return String.format(Locale.ROOT, "%s; redis per master %s of a core; %.3f scripts/job, %.2f commands/job;"
                            + " other processes at least %.2f of %d cores", result.describe(),
                    cpu == null ? "-" : cpu.redisPercents(), perJob(scripts), perJob(commands),
                    cpu == null ? Double.NaN : cpu.otherCores(), cpu == null ? 0 : cpu.cores());
        }
    }

    /** One measured setup. */
    record Row(String label, boolean cluster, int masters, int partitions, String placement, Phase endToEnd, Phase process) {

        /** The {@code CLUSTER …} line; the plain server's is marked {@code (redis://, reference)}. */
        String line() {
            return String.format(Locale.ROOT, "CLUSTER masters=%d partitions=%d%s e2e=%s jobs/s process=%s jobs/s"
                            + " cpu/job e2e=%s process=%s redis-busiest e2e=%.0f%% process=%.0f%%",
                    masters, partitions, cluster ? "" : " (redis://, reference)", Numbers.whole(endToEnd.result().rate()),
                    Numbers.whole(process.result().rate()), endToEnd.cpuText(), process.cpuText(), endToEnd.busiest(),
                    process.busiest());
        }
    }

    /** Runs every setup; prints progress, one CLUSTER line per setup and the table. Returns the exit code. */
    int run() throws InterruptedException {
        Progress.line("cluster scaling: one queue '%s' split over Redis Cluster masters (no replicas),"
                + " Worker(concurrency %d) in this JVM; %s", QUEUE, CONCURRENCY, settings.describe());
        Progress.line("machine: %d cores, load average %s before the run", Runtime.getRuntime().availableProcessors(),
                loadAverage());
        int largestMasters = settings.masters().stream().mapToInt(Integer::intValue).max().orElse(1);
        if (settings.jitWarmupN() > 0) {
            // the JIT and the JVM's caches warm up over far more jobs than one setup's warm-up: without this pass the
            // setups measured first pay for the compilation the later ones use
            Progress.line("untimed warm-up pass (CLUSTER_JIT_WARMUP_N=%d per phase): a plain server and a cluster of %d"
                    + " master(s)", settings.jitWarmupN(), largestMasters);
            measure("warm-up pass, single redis-server", ScalingTarget.single(QUEUE), settings.jitWarmupN());
            measure("warm-up pass, cluster", ScalingTarget.cluster(largestMasters, QUEUE, 0), settings.jitWarmupN());
            Progress.line("warm-up pass done; the timed setups follow");
        }
        List<Row> rows = new ArrayList<>();
        rows.add(measure("single redis-server (redis://)", ScalingTarget.single(QUEUE), settings.n()));
        int largestK = 1;
        for (int m : settings.masters()) {
            Row row = measure("cluster", ScalingTarget.cluster(m, QUEUE, 0), settings.n());
            rows.add(row);
            largestK = Math.max(largestK, row.partitions());
        }
        if (largestK > 1 && settings.masters().contains(1)) {
            rows.add(measure("cluster, 1 master, as many partitions as the largest", ScalingTarget.cluster(1, QUEUE, largestK),
                    settings.n()));
        }
        System.out.println();
        for (Row r : rows) {
            System.out.println(r.line());
        }
        System.out.println();
        System.out.println(table(rows));
        System.out.flush();
        return 0;
    }

    /** Starts nothing: measures {@code target} with {@code n} jobs per phase, then closes it. */
    private Row measure(String label, ScalingTarget target, int n) throws InterruptedException {
        try (target; TasqueClient client = TasqueClient.connect(target.uri())) {
            target.flush(client);
            Progress.line("%s: %d master(s), queue '%s' in %d partition(s), per master %s; %s; redis %s, java %s", label,
                    target.masters(), QUEUE, target.partitions(), target.perMaster(), target.placement(),
                    target.redisVersion(), System.getProperty("java.version"));
            Submitter submitter = new Submitter(client, Task.of(QUEUE));
            warmUp(target, client, submitter);
            Phase e2e = endToEnd(target, client, submitter, n);
            Progress.line("  end-to-end (submit x%d threads + Worker(concurrency %d)): %s", settings.producers(),
                    CONCURRENCY, e2e.details());
            Phase process = process(target, client, submitter, n);
            Progress.line("  process Worker(concurrency %d), %d pre-loaded: %s", CONCURRENCY, n, process.details());
            Row row = new Row(label, target.isCluster(), target.masters(), target.partitions(), target.placement(), e2e,
                    process);
            Progress.line("  %s", row.line());
            return row;
        }
    }

    /** Untimed: half the warm-up jobs submitted one by one, half with submitAll, all run by a worker. */
    private void warmUp(ScalingTarget target, TasqueClient client, Submitter submitter) throws InterruptedException {
        int n = settings.warmupN();
        if (n == 0) {
            return;
        }
        int single = n / 2;
        Completions done = Completions.counting(n);
        long deadline = System.nanoTime() + settings.phaseTimeoutNanos();
        try (Worker worker = Workers.of(target.uri(), CONCURRENCY, QUEUE, done).start()) {
            Submitter.Outcome a = submitter.oneByOne(single, settings.producers(), deadline);
            Submitter.Outcome b = submitter.inChunks(n - single, settings.bulkChunk(), deadline);
            boolean finished = done.awaitUntil(deadline);
            Progress.line("  warm-up: %d jobs%s%s%s", done.done(), finished ? "" : " (TIMEOUT)", a.failureNote(),
                    b.failureNote());
        }
        target.flush(client);
    }

    private Phase endToEnd(ScalingTarget target, TasqueClient client, Submitter submitter, int n)
            throws InterruptedException {
        target.flush(client);
        Completions done = Completions.counting(n);
        try (Worker worker = Workers.of(target.uri(), CONCURRENCY, QUEUE, done).start()) {
            long[] callsBefore = target.callCounts();
            CpuMeter cpu = CpuMeter.start(target.pids());
            Submitter.Outcome sent = submitter.oneByOne(n, settings.producers(), System.nanoTime() + settings.phaseTimeoutNanos());
            boolean finished = done.awaitUntil(sent.startNanos() + settings.phaseTimeoutNanos());
            long now = System.nanoTime();
            CpuMeter.Result used = cpu == null ? null : cpu.stop();
            long[] callsAfter = target.callCounts();
            if (sent.failed() > 0) {
                Progress.line("  end-to-end:%s", sent.failureNote());
            }
            PhaseResult r = PhaseResult.between(done.done(), n, sent.startNanos(), done.reachedAtOr(now), !finished);
            return new Phase(r, used, callsAfter[0] - callsBefore[0], callsAfter[1] - callsBefore[1]);
        }
    }

    private Phase process(ScalingTarget target, TasqueClient client, Submitter submitter, int n)
            throws InterruptedException {
        target.flush(client);
        Submitter.Outcome loaded = submitter.inChunks(n, settings.bulkChunk(), System.nanoTime() + settings.phaseTimeoutNanos());
        int goal = loaded.submitted();
        if (goal < n) {
            Progress.line("  process: only %d of %d jobs could be pre-loaded%s", goal, n, loaded.failureNote());
        }
        Completions done = Completions.counting(goal);
        long[] callsBefore = target.callCounts();
        CpuMeter cpu = CpuMeter.start(target.pids());
        long start = System.nanoTime();
        try (Worker worker = Workers.of(target.uri(), CONCURRENCY, QUEUE, done).start()) {
            boolean finished = done.awaitUntil(start + settings.phaseTimeoutNanos());
            long now = System.nanoTime();
            CpuMeter.Result used = cpu == null ? null : cpu.stop();
            long[] callsAfter = target.callCounts();
            PhaseResult r = PhaseResult.between(done.done(), goal, start, done.reachedAtOr(now), !finished);
            return new Phase(r, used, callsAfter[0] - callsBefore[0], callsAfter[1] - callsBefore[1]);
        }
    }

    /**
     * The markdown table: per setup jobs/s of both phases (and against the single server), CPU per job, the busiest
     * master, scripts per job; then the ceilings those CPU figures imply.
     */
    static String table(List<Row> rows) {
        Row reference = rows.get(0);
        List<String> lines = new ArrayList<>();
        lines.add("| setup | masters | partitions | end-to-end jobs/s | × single | process jobs/s | × single"
                + " | CPU µs/job e2e (JVM + Redis) | CPU µs/job process (JVM + Redis) | busiest master e2e / process"
                + " | scripts/job e2e / process | other processes (cores) |");
        lines.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            lines.add(String.format(Locale.ROOT, "| %s | %d | %d | %s%s | %.2f | %s%s | %.2f | %.1f (%.1f + %.1f) |"
                            + " %.1f (%.1f + %.1f) | %.0f%% / %.0f%% | %.3f / %.3f | %.2f / %.2f |",
                    r.label(), r.masters(), r.partitions(),
                    Numbers.whole(r.endToEnd().result().rate()), r.endToEnd().result().timedOut() ? " (TIMEOUT)" : "",
                    r.endToEnd().result().rate() / reference.endToEnd().result().rate(),
                    Numbers.whole(r.process().result().rate()), r.process().result().timedOut() ? " (TIMEOUT)" : "",
                    r.process().result().rate() / reference.process().result().rate(),
                    r.endToEnd().cpuPerJob(), r.endToEnd().jvmPerJob(), r.endToEnd().redisPerJob(),
                    r.process().cpuPerJob(), r.process().jvmPerJob(), r.process().redisPerJob(),
                    r.endToEnd().busiest(), r.process().busiest(),
                    r.endToEnd().perJob(r.endToEnd().scripts()), r.process().perJob(r.process().scripts()),
                    other(r.endToEnd()), other(r.process())));
        }
        lines.add("");
        lines.add("Ceilings these CPU figures imply (process-only phase): Redis-bound = masters × 10^6 / (Redis µs per job),"
                + " every master on its own core; client-bound = 10^6 / (JVM µs per job) per JVM core.");
        lines.add("");
        lines.add("| setup | masters | partitions | Redis-bound jobs/s | client-bound jobs/s per JVM core |");
        lines.add("|---|---:|---:|---:|---:|");
        for (Row r : rows) {
            lines.add(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s |", r.label(), r.masters(), r.partitions(),
                    Numbers.whole(r.masters() * 1e6 / r.process().redisPerJob()), Numbers.whole(1e6 / r.process().jvmPerJob())));
        }
        return String.join("\n", lines);
    }

    private static double other(Phase p) {
        return p.cpu() == null ? Double.NaN : p.cpu().otherCores();
    }

    /** The first three fields of {@code /proc/loadavg}, or "?" elsewhere. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
