package io.tasque.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Collection counts and accumulated times per garbage collector, and the difference between two snapshots. */
record GcTotals(Map<String, long[]> perCollector) {

    /** The current count and time (ms) of every {@link GarbageCollectorMXBean}. */
    static GcTotals now() {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            m.put(gc.getName(), new long[] {Math.max(0, gc.getCollectionCount()), Math.max(0, gc.getCollectionTime())});
        }
        return new GcTotals(m);
    }

    /** Counts and times accumulated after {@code earlier}. */
    GcTotals since(GcTotals earlier) {
        Map<String, long[]> m = new LinkedHashMap<>();
        perCollector.forEach((name, v) -> {
            long[] e = earlier.perCollector.getOrDefault(name, new long[2]);
            m.put(name, new long[] {v[0] - e[0], v[1] - e[1]});
        });
        return new GcTotals(m);
    }

    long count() {
        return perCollector.values().stream().mapToLong(v -> v[0]).sum();
    }

    long millis() {
        return perCollector.values().stream().mapToLong(v -> v[1]).sum();
    }

    /** {@code "G1 Young Generation 12x 85 ms, G1 Old Generation 0x 0 ms"}. */
    String describe() {
        return perCollector.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %dx %d ms", e.getKey(), e.getValue()[0], e.getValue()[1]))
                .collect(Collectors.joining(", "));
    }
}
