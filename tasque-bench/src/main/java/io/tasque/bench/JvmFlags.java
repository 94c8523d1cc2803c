package io.tasque.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The JVM options a run was started with that change its latency (the JIT tiers, the collector, the young
 * generation's size), so that the LATENCY lines of runs with and without them tell themselves apart.
 */
final class JvmFlags {

    private static final List<String> LATENCY_RELEVANT = List.of("-XX:TieredStopAtLevel", "-XX:-TieredCompilation",
            "-XX:+UseSerialGC", "-XX:+UseParallelGC", "-XX:+UseZGC", "-XX:+UseShenandoahGC", "-Xmn", "-XX:+AlwaysPreTouch");

    private JvmFlags() {
    }

    /** This JVM's latency-relevant options, e.g. {@code " [-XX:TieredStopAtLevel=1]"}; "" when it has none. */
    static String label() {
        return label(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    static String label(List<String> inputArguments) {
        String flags = inputArguments.stream()
                .filter(a -> LATENCY_RELEVANT.stream().anyMatch(a::startsWith))
                .collect(Collectors.joining(" "));
        return flags.isEmpty() ? "" : " [" + flags + "]";
    }
}
