package io.tasque.bench;

import io.tasque.testkit.RedisCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The knobs of the cluster scaling mode ({@code --cluster}), from the environment.
 *
 * <pre>
 * CLUSTER_N (100000)        jobs per timed phase (end-to-end, process-only) of each setup
 * CLUSTER_MASTERS (1,2,3)   the cluster sizes to measure, in this order
 * CLUSTER_PRODUCERS (8)     threads submitting one by one in the end-to-end phase
 * CLUSTER_WARMUP_N (10000)  untimed jobs through each setup before its phases (half submit(), half submitAll)
 * CLUSTER_JIT_WARMUP_N (30000) jobs per phase of the untimed pass over a plain server and the largest cluster that
 *                           comes first (0: none)
 * BULK_CHUNK (1000)         submitAll chunk of the process-only phase's pre-load
 * PHASE_TIMEOUT_S (180)     the longest a phase may run; an overrun reports the partial rate marked (TIMEOUT)
 * </pre>
 */
record ClusterSettings(int n, List<Integer> masters, int producers, int warmupN, int jitWarmupN, int bulkChunk,
                       int phaseTimeoutSeconds) {

    /**
     * Reads the environment.
     *
     * @throws IllegalArgumentException naming the variable and its value when one is wrong
     */
    static ClusterSettings parse(Map<String, String> env) {
        return new ClusterSettings(
                Settings.positive(env, "CLUSTER_N", 100_000),
                masters(env.get("CLUSTER_MASTERS")),
                Settings.positive(env, "CLUSTER_PRODUCERS", 8),
                Settings.atLeastZero(env, "CLUSTER_WARMUP_N", 10_000),
                Settings.atLeastZero(env, "CLUSTER_JIT_WARMUP_N", 30_000),
                Settings.positive(env, "BULK_CHUNK", 1_000),
                Settings.positive(env, "PHASE_TIMEOUT_S", 180));
    }

    /** The phase timeout in nanoseconds. */
    long phaseTimeoutNanos() {
        return phaseTimeoutSeconds * 1_000_000_000L;
    }

    /** One line with every knob, for the header. */
    String describe() {
        return "CLUSTER_N=" + n + " CLUSTER_MASTERS=" + masters.toString().replace(" ", "").replace("[", "").replace("]", "")
                + " CLUSTER_PRODUCERS=" + producers + " CLUSTER_WARMUP_N=" + warmupN + " CLUSTER_JIT_WARMUP_N="
                + jitWarmupN + " BULK_CHUNK=" + bulkChunk
                + " PHASE_TIMEOUT_S=" + phaseTimeoutSeconds;
    }

    private static List<Integer> masters(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of(1, 2, 3);
        }
        List<Integer> out = new ArrayList<>();
        for (String part : raw.split(",")) {
            int m;
            try {
                m = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("CLUSTER_MASTERS='" + raw + "' is not a comma-separated list of"
                        + " whole numbers, e.g. 1,2,3");
            }
            if (m < 1 || m > RedisCluster.MAX_MASTERS) {
                throw new IllegalArgumentException("CLUSTER_MASTERS='" + raw + "': " + m + " masters is not between 1 and "
                        + RedisCluster.MAX_MASTERS);
            }
            out.add(m);
        }
        return List.copyOf(out);
    }
}
