package io.tasque.worker;

import io.tasque.retry.RetryPolicy;
import java.time.Duration;

/**
 * Per-handler overrides of the worker's retry policy, attempt limit and run timeout. A null field means
 * "use the worker's setting". Build with {@link #builder()}.
 */
public final class HandlerOptions {

    /** Everything from the worker. */
    public static final HandlerOptions INHERIT = builder().build();

    private final RetryPolicy retryPolicy;
    private final Integer maxAttempts;
    private final Duration timeout;

    private HandlerOptions(Builder b) {
        this.retryPolicy = b.retryPolicy;
        this.maxAttempts = b.maxAttempts;
        this.timeout = b.timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    Integer maxAttempts() {
        return maxAttempts;
    }

    Duration timeout() {
        return timeout;
    }

    /** Builder with validation in every setter. */
    public static final class Builder {
        private RetryPolicy retryPolicy;
        private Integer maxAttempts;
        private Duration timeout;

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = policy;
            return this;
        }

        public Builder maxAttempts(int n) {
            this.maxAttempts = WorkerConfig.checkMaxAttempts(n);
            return this;
        }

        /** Longest a run may take; past it the handler thread is interrupted and the run counts as failed. */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.toMillis() < 1) {
                throw new IllegalArgumentException("handler timeout must be >= 1 ms, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public HandlerOptions build() {
            return new HandlerOptions(this);
        }
    }
}
