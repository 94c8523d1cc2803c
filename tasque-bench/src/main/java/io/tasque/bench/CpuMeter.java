package io.tasque.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CPU time this JVM and a set of redis-server processes spent over a phase, so that a phase can be given in
 * microseconds of CPU per job: a figure that does not depend on how many cores the machine has or how busy other
 * processes kept them (unlike jobs/s). The JVM's own time comes from {@code OperatingSystemMXBean.getProcessCpuTime}
 * (nanoseconds, every thread: handlers, fetch lanes, producers, GC and JIT); each redis-server's from
 * {@code /proc/<pid>/stat} (user + system, in 10 ms ticks, every thread of the server). The machine's busy cores
 * over the phase tell how much went to other processes. Linux only: elsewhere {@link #start} returns null.
 */
final class CpuMeter {

    private final long startNanos;
    private final long jvmStart;
    private final List<Long> redisPids;
    private final long[] redisStart;
    private final long[] machineStart;

    private CpuMeter(long startNanos, long jvmStart, List<Long> redisPids, long[] redisStart, long[] machineStart) {
        this.startNanos = startNanos;
        this.jvmStart = jvmStart;
        this.redisPids = redisPids;
        this.redisStart = redisStart;
        this.machineStart = machineStart;
    }

    /** Starts measuring this JVM and the redis-servers {@code redisPids}; null when {@code /proc} cannot be read. */
    static CpuMeter start(List<Long> redisPids) {
        long[] machine = CpuShare.machineTicks();
        long jvm = jvmCpuNanos();
        long[] redis = redisTicks(redisPids);
        if (machine == null || jvm < 0 || redis == null) {
            return null;
        }
        return new CpuMeter(System.nanoTime(), jvm, List.copyOf(redisPids), redis, machine);
    }

    /** The CPU spent since {@link #start}, or null when {@code /proc} could not be read again. */
    Result stop() {
        long[] machine = CpuShare.machineTicks();
        long jvm = jvmCpuNanos();
        long[] redis = redisTicks(redisPids);
        if (machine == null || jvm < 0 || redis == null) {
            return null;
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double[] redisSeconds = new double[redis.length];
        for (int i = 0; i < redis.length; i++) {
            redisSeconds[i] = (redis[i] - redisStart[i]) / CpuShare.TICKS_PER_SECOND;
        }
        double total = machine[1] - machineStart[1];
        int cores = Runtime.getRuntime().availableProcessors();
        double busyCores = total <= 0 ? 0 : (machine[0] - machineStart[0]) / total * cores;
        return new Result(seconds, (jvm - jvmStart) / 1e9, redisSeconds, cores, busyCores);
    }

    /**
     * CPU seconds over a phase of {@code seconds}: this JVM's, each redis-server's (in the order their pids were
     * given), and the machine's cores and how many were busy on average.
     */
    record Result(double seconds, double jvmSeconds, double[] redisSeconds, int cores, double busyCores) {

        double redisTotalSeconds() {
            double sum = 0;
            for (double s : redisSeconds) {
                sum += s;
            }
            return sum;
        }

        /** Microseconds of this JVM's CPU per job. */
        double jvmMicrosPerJob(long jobs) {
            return jobs <= 0 ? Double.NaN : jvmSeconds * 1e6 / jobs;
        }

        /** Microseconds of all the redis-servers' CPU per job. */
        double redisMicrosPerJob(long jobs) {
            return jobs <= 0 ? Double.NaN : redisTotalSeconds() * 1e6 / jobs;
        }

        /** The busiest redis-server's share of one core over the phase, in percent (100: it never rested). */
        double busiestRedisPercent() {
            double max = 0;
            for (double s : redisSeconds) {
                max = Math.max(max, s);
            }
            return max / seconds * 100;
        }

        /** Each redis-server's share of one core, in percent, e.g. {@code "61%/58%"}. */
        String redisPercents() {
            List<String> parts = new ArrayList<>();
            for (double s : redisSeconds) {
                parts.add(String.format(Locale.ROOT, "%.0f%%", s / seconds * 100));
            }
            return String.join("/", parts);
        }

        /** Cores that neither this JVM nor the measured redis-servers used (other processes, the kernel): at least this many. */
        double otherCores() {
            return Math.max(0, busyCores - (jvmSeconds + redisTotalSeconds()) / seconds);
        }
    }

    /** This JVM's CPU time in nanoseconds, or -1 when the platform does not report it. */
    private static long jvmCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static long[] redisTicks(List<Long> pids) {
        long[] ticks = new long[pids.size()];
        for (int i = 0; i < ticks.length; i++) {
            var t = CpuShare.processTicks(pids.get(i));
            if (t.isEmpty()) {
                return null;
            }
            ticks[i] = t.getAsLong();
        }
        return ticks;
    }
}
