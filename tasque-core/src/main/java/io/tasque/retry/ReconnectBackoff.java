package io.tasque.retry;

import java.time.Duration;

/**
 * The reconnect rule for talking to a broker that fails: wait 1 s after the first error, doubling up to
 * 10 s while errors go on, and start again at 1 s after the first success. Not thread-safe: one per loop.
 */
public final class ReconnectBackoff {

    private final RetryPolicy policy;
    private int failures;

    /** The default backoff: 1 s, doubling, capped at 10 s. */
    public ReconnectBackoff() {
        this(RetryPolicy.DEFAULT);
    }

    /** A backoff whose waits follow {@code policy}. */
    public ReconnectBackoff(RetryPolicy policy) {
        this.policy = policy;
    }

    /** Records a failure and returns how long to wait before trying again. */
    public Duration failed() {
        failures++;
        return policy.delayAfter(failures);
    }

    /**
     * Records a success.
     *
     * @return true if this ends a run of failures (the broker is back)
     */
    public boolean succeeded() {
        boolean recovered = failures > 0;
        failures = 0;
        return recovered;
    }

    /** Failures in a row so far. */
    public int failures() {
        return failures;
    }
}
