package io.tasque.retry;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a failed job waits before its next run, as a resilience4j {@link IntervalFunction} of the
 * attempt that failed: by default 1 s after the first run, then doubling, capped at 10 s
 * (1, 2, 4, 8, 10, 10, … s). {@link #withJitter(double)} spreads the delays of many jobs that failed together, so
 * their retries do not all arrive at once; without it (the default) the delays are exact.
 */
public final class RetryPolicy {

    /** The default wait before the first retry: 1 s. */
    public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
    /** The default factor from one wait to the next: 2. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** The default longest wait: 10 s. */
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(10);

    /** 1 s, ×2, capped at 10 s. */
    public static final RetryPolicy DEFAULT = exponential(DEFAULT_INITIAL, DEFAULT_MULTIPLIER, DEFAULT_MAX);

    private final IntervalFunction base;
    private final String description;
    /** Each delay is spread uniformly within ± this fraction of itself; 0 = exact. */
    private final double jitter;
    private final IntervalFunction intervals;

    private RetryPolicy(IntervalFunction intervals, String description) {
        this(intervals, description, 0);
    }

    private RetryPolicy(IntervalFunction base, String description, double jitter) {
        this.base = base;
        this.description = description;
        this.jitter = jitter;
        this.intervals = jitter == 0 ? base : attempt -> spread(base.apply(attempt), jitter);
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

    /**
     * This policy with each delay spread uniformly within ± {@code fraction} of itself (0.2: a 4 s delay becomes
     * 3.2 to 4.8 s), so jobs that failed together do not retry together. Replaces any jitter set before; 0 makes
     * the delays exact again.
     *
     * @throws IllegalArgumentException if {@code fraction} is not within [0, 1], naming it
     */
    public RetryPolicy withJitter(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("retry jitter must be a fraction in [0, 1], was " + fraction);
        }
        return new RetryPolicy(base, description, fraction);
    }

    /** The jitter fraction: each delay is spread within ± this fraction of itself; 0 when the delays are exact. */
    public double jitter() {
        return jitter;
    }

    private static long spread(long millis, double fraction) {
        double factor = 1 + fraction * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Math.max(0, Math.round(millis * factor));
    }

    /** The wait after run number {@code failedAttempt} (1 = the first run) failed. */
    public Duration delayAfter(int failedAttempt) {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + failedAttempt);
        }
        return Duration.ofMillis(intervals.apply(failedAttempt));
    }

    /** The delays as a resilience4j interval function, jitter included. */
    public IntervalFunction intervalFunction() {
        return intervals;
    }

    @Override
    public String toString() {
        return jitter == 0 ? description : description + " with jitter ±"
                + java.math.BigDecimal.valueOf(Math.round(jitter * 10_000) / 100.0).stripTrailingZeros().toPlainString() + "%";
    }
}
