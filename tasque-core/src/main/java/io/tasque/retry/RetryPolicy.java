package io.tasque.retry;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a failed job waits before its next run, as a resilience4j {@link IntervalFunction} of the
 * attempt that failed: by default 1 s after the first run, then doubling, capped at 10 s
 * (1, 2, 4, 8, 10, 10, … s).
 */
public final class RetryPolicy {

    public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
    public static final double DEFAULT_MULTIPLIER = 2.0;
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(10);

    /** 1 s, ×2, capped at 10 s. */
    public static final RetryPolicy DEFAULT = exponential(DEFAULT_INITIAL, DEFAULT_MULTIPLIER, DEFAULT_MAX);

    private final IntervalFunction intervals;
    private final String description;

    private RetryPolicy(IntervalFunction intervals, String description) {
        this.intervals = intervals;
        this.description = description;
    }

    /**
     * Exponential backoff: {@code initial × multiplier^(attempt-1)}, never more than {@code max}.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static RetryPolicy exponential(Duration initial, double multiplier, Duration max) {
        if (initial == null || initial.toMillis() < 1) {
            throw new IllegalArgumentException("retry initial interval must be >= 1 ms, was " + initial);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("retry multiplier must be >= 1.0, was " + multiplier);
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("retry max interval must be >= the initial " + initial + ", was " + max);
        }
        return new RetryPolicy(IntervalFunction.ofExponentialBackoff(initial, multiplier, max),
                "exponential(" + initial + " ×" + multiplier + " ≤ " + max + ")");
    }

    /** The same interval before every retry. */
    public static RetryPolicy fixed(Duration interval) {
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("retry interval must be >= 0, was " + interval);
        }
        return new RetryPolicy(IntervalFunction.of(interval), "fixed(" + interval + ")");
    }

    /** Any resilience4j interval function, called with the number of the attempt that failed (1-based). */
    public static RetryPolicy of(IntervalFunction intervals) {
        return new RetryPolicy(Objects.requireNonNull(intervals, "intervals"), "custom");
    }

    /** The wait after run number {@code failedAttempt} (1 = the first run) failed. */
    public Duration delayAfter(int failedAttempt) {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + failedAttempt);
        }
        return Duration.ofMillis(intervals.apply(failedAttempt));
    }

    public IntervalFunction intervalFunction() {
        return intervals;
    }

    @Override
    public String toString() {
        return description;
    }
}
