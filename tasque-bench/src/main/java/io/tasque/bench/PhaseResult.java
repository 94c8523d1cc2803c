package io.tasque.bench;

import java.util.Locale;

/**
 * What one timed phase achieved: how many jobs of the target it got through, in how many seconds, and
 * whether it stopped because the phase timeout ran out (the rate is then the partial rate).
 */
record PhaseResult(long done, long target, double seconds, boolean timedOut) {

    static PhaseResult between(long done, long target, long startNanos, long endNanos, boolean timedOut) {
        return new PhaseResult(done, target, Math.max(1e-9, (endNanos - startNanos) / 1e9), timedOut);
    }

    /** Jobs per second. */
    double rate() {
        return done / seconds;
    }

    /** {@code "done/target jobs in s s = rate jobs/s"}, with {@code (TIMEOUT)} when the phase overran. */
    String describe() {
        return String.format(Locale.ROOT, "%d/%d jobs in %.2f s = %s jobs/s%s", done, target, seconds,
                Numbers.whole(rate()), timedOut ? " (TIMEOUT)" : "");
    }
}
