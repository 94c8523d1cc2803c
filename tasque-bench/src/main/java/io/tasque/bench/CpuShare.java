package io.tasque.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * How the machine's CPUs were shared during a phase: how many cores were busy in all, how many of them this JVM
 * and the private redis-server used, and so how many went to other processes. A latency tail measured while other
 * processes kept the cores busy says more about the machine than about tasque, so the latency phases print it.
 * Read from Linux's {@code /proc}; elsewhere {@link #start} returns null and nothing is printed. The machine's
 * busy time comes in scheduler ticks and misses part of many short bursts of work (a process's own time does
 * not), so what is left for other processes is a lower bound.
 */
final class CpuShare {

    /** The unit of the times in {@code /proc} (USER_HZ), 100 per second on every common Linux. */
    static final double TICKS_PER_SECOND = 100;

    private final long startNanos;
    private final long[] machineStart;
    private final long jvmStart;
    private final long redisPid;
    private final long redisStart;

    private CpuShare(long startNanos, long[] machineStart, long jvmStart, long redisPid, long redisStart) {
        this.startNanos = startNanos;
        this.machineStart = machineStart;
        this.jvmStart = jvmStart;
        this.redisPid = redisPid;
        this.redisStart = redisStart;
    }

    /** Starts measuring; {@code redisPid} is the private server's pid, or -1 when Redis runs elsewhere. */
    static CpuShare start(long redisPid) {
        long[] machine = machineTicks();
        OptionalLong jvm = processTicks(ProcessHandle.current().pid());
        if (machine == null || jvm.isEmpty()) {
            return null;
        }
        long redis = redisPid < 0 ? 0 : processTicks(redisPid).orElse(0);
        return new CpuShare(System.nanoTime(), machine, jvm.getAsLong(), redisPid, redis);
    }

    /** The shares since {@link #start}, or null when {@code /proc} could not be read again. */
    Result stop() {
        long[] machine = machineTicks();
        OptionalLong jvm = processTicks(ProcessHandle.current().pid());
        if (machine == null || jvm.isEmpty()) {
            return null;
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double total = machine[1] - machineStart[1];
        double busyCores = total <= 0 ? 0 : (machine[0] - machineStart[0]) / total * Runtime.getRuntime().availableProcessors();
        double jvmCores = (jvm.getAsLong() - jvmStart) / TICKS_PER_SECOND / seconds;
        double redisCores = redisPid < 0 ? 0 : (processTicks(redisPid).orElse(redisStart) - redisStart) / TICKS_PER_SECOND / seconds;
        return new Result(Runtime.getRuntime().availableProcessors(), busyCores, jvmCores, redisCores, redisPid >= 0);
    }

    /** Cores in use on average over the phase. */
    record Result(int cores, double busy, double jvm, double redis, boolean redisMeasured) {

        /** Cores that neither this JVM nor the private redis-server used: other processes (and the kernel); at least this many. */
        double others() {
            return Math.max(0, busy - jvm - (redisMeasured ? redis : 0));
        }

        /** {@code "1.62 of 2 cores busy: this JVM 0.21, redis-server 0.10, other processes at least 1.31"}. */
        String describe() {
            return String.format(Locale.ROOT, "%.2f of %d cores busy: this JVM %.2f, %sother processes at least %.2f", busy, cores,
                    jvm, redisMeasured ? String.format(Locale.ROOT, "redis-server %.2f, ", redis) : "", others());
        }
    }

    /** Busy and total ticks of all CPUs from the first line of /proc/stat; null when it cannot be read. */
    static long[] machineTicks() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long total = 0;
            long idle = 0;
            // cpu user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user and nice]
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i == 4 || i == 5) {
                    idle += v;
                }
            }
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** User plus system ticks of a process from /proc/PID/stat. */
    static OptionalLong processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name (field 2) may hold spaces: count the fields after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of(Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
