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
            // the small allowance keeps binary rounding (99.9 / 100 * 1000 = 999.0000000000001) off the next rank
            int rank = (int) Math.ceil(p * sorted.length / 100.0 - 1e-9);
            int index = Math.max(0, Math.min(sorted.length - 1, rank - 1));
            return sorted[index] / 1e6;
        }

        double maxMs() {
            return ms(100);
        }

        /** p50, p99, p99.9 and max. */
        Summary summary() {
            return new Summary(ms(50), ms(99), ms(99.9), maxMs());
        }

        int size() {
            return sorted.length;
        }
    }

    /** The reported percentiles in milliseconds; NaN when there were no samples. */
    record Summary(double p50, double p99, double p999, double max) {

        /** {@code "p50 0.41 ms, p99 0.93 ms, p99.9 2.10 ms, max 5.32 ms"}. */
        String describe() {
            return "p50 " + Numbers.ms(p50) + " ms, p99 " + Numbers.ms(p99) + " ms, p99.9 " + Numbers.ms(p999)
                    + " ms, max " + Numbers.ms(max) + " ms";
        }

        /** The four values separated by {@code |}, for the LATENCY line. */
        String fields() {
            return String.join("|", Numbers.ms(p50), Numbers.ms(p99), Numbers.ms(p999), Numbers.ms(max));
        }
    }
}
