package io.tasque.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterScalingTest {

    private static ClusterScaling.Phase phase(long jobs, double seconds, double jvmSeconds, double... redisSeconds) {
        return new ClusterScaling.Phase(new PhaseResult(jobs, jobs, seconds, false),
                new CpuMeter.Result(seconds, jvmSeconds, redisSeconds, 2, 1.5), 4 * jobs, jobs / 10);
    }

    @Test
    void theLineGivesRatesCpuPerJobAndTheBusiestMaster() {
        // 100 000 jobs in 2 s: 50 000 jobs/s; 1 s of JVM CPU = 10 µs per job, 0.6 + 0.4 s of Redis = 10 µs per job
        ClusterScaling.Row row = new ClusterScaling.Row("cluster", true, 2, 2, "-", phase(100_000, 10, 6, 2, 2),
                phase(100_000, 2, 1, 0.6, 0.4));
        assertEquals("CLUSTER masters=2 partitions=2 e2e=10000 jobs/s process=50000 jobs/s cpu/job e2e=100.0 µs"
                + " (jvm 60.0 + redis 40.0) process=20.0 µs (jvm 10.0 + redis 10.0) redis-busiest e2e=20% process=30%",
                row.line());
    }

    @Test
    void theTableComparesEverySetupWithTheFirstAndGivesTheCeilingsTheCpuImplies() {
        ClusterScaling.Row single = new ClusterScaling.Row("single redis-server (redis://)", false, 1, 1, "-",
                phase(100_000, 10, 6, 4), phase(100_000, 2, 1, 1));
        ClusterScaling.Row two = new ClusterScaling.Row("cluster", true, 2, 2, "-", phase(100_000, 5, 6, 2, 2),
                phase(100_000, 1, 1, 0.5, 0.5));
        String table = ClusterScaling.table(List.of(single, two));
        assertTrue(table.contains("| cluster | 2 | 2 | 20000 | 2.00 | 100000 | 2.00 | 100.0 (60.0 + 40.0) |"), table);
        // process: 10 µs of Redis per job over 1 master = 100 000 jobs/s; over 2 = 200 000; 10 µs of JVM = 100 000
        assertTrue(table.contains("| single redis-server (redis://) | 1 | 1 | 100000 | 100000 |"), table);
        assertTrue(table.contains("| cluster | 2 | 2 | 200000 | 100000 |"), table);
    }
}
