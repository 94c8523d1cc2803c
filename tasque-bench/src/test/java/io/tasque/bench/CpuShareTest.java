package io.tasque.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CpuShareTest {

    @Test
    void cpuThisThreadSpentShowsAsThisJvmsShare() {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "needs Linux /proc");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        CpuShare share = CpuShare.start(-1);
        assertNotNull(share);
        long started = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        // spin until this thread has had 200 ms of CPU (however busy the machine is), or 10 s have passed
        long spins = 0;
        while (threads.getCurrentThreadCpuTime() - cpuStart < 200_000_000L && System.nanoTime() - started < 10_000_000_000L) {
            spins++;
        }
        double threadCpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        CpuShare.Result r = share.stop();
        double seconds = (System.nanoTime() - started) / 1e9;
        assertNotNull(r);
        assertTrue(spins > 0 && threadCpuSeconds >= 0.2, "the thread had " + threadCpuSeconds + " s of CPU");
        // /proc counts in 10 ms ticks: allow two of them
        assertTrue(r.jvm() * seconds >= threadCpuSeconds - 0.02, "this JVM used " + r.jvm() + " cores over " + seconds
                + " s, less than the " + threadCpuSeconds + " s this thread alone had");
        assertTrue(r.busy() <= r.cores() + 0.01, "busy " + r.busy() + " of " + r.cores());
        assertTrue(r.others() >= 0);
    }

    @Test
    void othersAreWhatNeitherThisJvmNorRedisUsed() {
        CpuShare.Result r = new CpuShare.Result(2, 1.5, 0.25, 0.25, true);
        assertEquals(1.0, r.others(), 1e-9);
        assertEquals("1.50 of 2 cores busy: this JVM 0.25, redis-server 0.25, other processes at least 1.00", r.describe());
        CpuShare.Result remote = new CpuShare.Result(2, 0.5, 0.25, 0, false);
        assertEquals("0.50 of 2 cores busy: this JVM 0.25, other processes at least 0.25", remote.describe());
        assertEquals(0.25, remote.others(), 1e-9);
    }
}
