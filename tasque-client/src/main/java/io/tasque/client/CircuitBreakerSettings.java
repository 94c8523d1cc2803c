package io.tasque.client;

import java.time.Duration;

/**
 * When a client stops calling a failing broker and fails fast instead: after at least {@code minimumCalls}
 * submits in the last {@code windowSize}, if {@code failureRatePercent} of them failed, the breaker opens for
 * {@code openFor}, then lets {@code halfOpenCalls} trial submits through and closes again if they succeed.
 * Only broker failures count; bad input does not.
 */
public record CircuitBreakerSettings(boolean enabled, float failureRatePercent, int minimumCalls, int windowSize,
                                     Duration openFor, int halfOpenCalls) {

    /** 50 % of at least 10 of the last 20 submits failed → open for 5 s, then 3 trial calls. */
    public static final CircuitBreakerSettings DEFAULT = new CircuitBreakerSettings(true, 50f, 10, 20, Duration.ofSeconds(5), 3);
    /** Never fail fast: every submit tries the broker. */
    public static final CircuitBreakerSettings DISABLED = new CircuitBreakerSettings(false, 50f, 10, 20, Duration.ofSeconds(5), 3);

    public CircuitBreakerSettings {
        if (!(failureRatePercent > 0 && failureRatePercent <= 100)) {
            throw new IllegalArgumentException("failureRatePercent must be in (0, 100], was " + failureRatePercent);
        }
        if (minimumCalls < 1) {
            throw new IllegalArgumentException("minimumCalls must be >= 1, was " + minimumCalls);
        }
        if (windowSize < minimumCalls) {
            throw new IllegalArgumentException("windowSize must be >= minimumCalls (" + minimumCalls + "), was " + windowSize);
        }
        if (openFor == null || openFor.toMillis() < 1) {
            throw new IllegalArgumentException("openFor must be >= 1 ms, was " + openFor);
        }
        if (halfOpenCalls < 1) {
            throw new IllegalArgumentException("halfOpenCalls must be >= 1, was " + halfOpenCalls);
        }
    }
}
