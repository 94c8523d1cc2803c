package io.tasque.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Collects latency samples in nanoseconds from many threads into a fixed-size buffer and reports
 * nearest-rank percentiles in milliseconds. Samples past the capacity are counted but not kept.
 */
final class LatencyRecorder {

    private final long[] samples;
    private final AtomicInteger next = new AtomicInteger();

    LatencyRecorder(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.samples = new long[capacity];
    }

    void record(long nanos) {
        int i = next.getAndIncrement();
        if (i < samples.length) {
            samples[i] = nanos;
        }
    }

    /** Samples recorded, including any that did not fit. */
    int count() {
        return next.get();
    }

    /** A consistent view of the kept samples; call it once recording has stopped. */
    Percentiles percentiles() {
        int kept = Math.min(next.get(), samples.length);
        long[] sorted = Arrays.copyOf(samples, kept);
        Arrays.sort(sorted);
        return new Percentiles(sorted);
    }

    /** Sorted samples with nearest-rank lookups; every value is NaN when there are no samples. */
    static final class Percentiles {
        private final long[] sorted;

        private Percentiles(long[] sorted) {
            this.sorted = sorted;
        }

        /** The p-th percentile (0 < p <= 100) in milliseconds. */
        double ms(double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            int index = Math.max(0, Math.min(sorted.length - 1, rank - 1));
            return sorted[index] / 1e6;
        }

        double maxMs() {
            return ms(100);
        }

        int size() {
            return sorted.length;
        }
    }
}
