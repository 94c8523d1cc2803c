package io.tasque.worker;

import io.tasque.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-handler overrides of the worker's retry policy, attempt limit and run timeout, and the exceptions that are
 * never retried. A null field means "use the worker's setting". Build with {@link #builder()}.
 */
public final class HandlerOptions {

    /**
     * How long a run may go on after its timeout interrupted it before it is declared stuck: 10 s. A handler that
     * honours the interrupt returns well within that; one that does not is logged, its job settled as a failed
     * attempt (well before the default 30 s lease runs out, so with the stuck reason rather than a later "lease
     * expired"), and its thread replaced, so it never holds a thread of the pool for longer than this.
     */
    public static final Duration STUCK_GRACE = Duration.ofSeconds(10);

    /** Everything from the worker. */
    public static final HandlerOptions INHERIT = builder().build();

    private final RetryPolicy retryPolicy;
    private final Integer maxAttempts;
    private final Duration timeout;
    private final List<Class<? extends Throwable>> noRetryOn;
    private final Duration stuckGrace;

    private HandlerOptions(Builder b) {
        this.retryPolicy = b.retryPolicy;
        this.maxAttempts = b.maxAttempts;
        this.timeout = b.timeout;
        this.noRetryOn = List.copyOf(b.noRetryOn);
        this.stuckGrace = b.stuckGrace;
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

    List<Class<? extends Throwable>> noRetryOn() {
        return noRetryOn;
    }

    Duration stuckGrace() {
        return stuckGrace;
    }

    /** Builder with validation in every setter. */
    public static final class Builder {
        private RetryPolicy retryPolicy;
        private Integer maxAttempts;
        private Duration timeout;
        private final List<Class<? extends Throwable>> noRetryOn = new ArrayList<>();
        private Duration stuckGrace = STUCK_GRACE;

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = policy;
            return this;
        }

        public Builder maxAttempts(int n) {
            this.maxAttempts = WorkerConfig.checkMaxAttempts(n);
            return this;
        }

        /**
         * Longest a run may take; past it the handler thread is interrupted and the run counts as failed. A run that
         * ignores the interrupt and still runs {@link #STUCK_GRACE} later is declared stuck: logged, counted in
         * {@code tasque.handler.stuck}, settled as a failed attempt, and its thread replaced.
         */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.toMillis() < 1) {
                throw new IllegalArgumentException("handler timeout must be >= 1 ms, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Exceptions that mean the job can never succeed: a run that throws one of these types (or a subclass)
         * sends its job straight to the dead letter, as a {@link PermanentFailure} does, without using up its
         * remaining attempts. Only the thrown exception itself is matched, not its causes. Adds to earlier calls.
         *
         * @throws IllegalArgumentException if no type is given or one is null
         */
        @SafeVarargs
        public final Builder noRetryOn(Class<? extends Throwable>... types) {
            if (types == null || types.length == 0) {
                throw new IllegalArgumentException("noRetryOn needs at least one exception type");
            }
            for (int i = 0; i < types.length; i++) {
                if (types[i] == null) {
                    throw new IllegalArgumentException("noRetryOn type #" + (i + 1) + " is null");
                }
            }
            noRetryOn.addAll(List.of(types));
            return this;
        }

        /** How long a run may go on after its timeout's interrupt before it is declared stuck; {@link #STUCK_GRACE} by default. */
        Builder stuckGrace(Duration grace) {
            this.stuckGrace = WorkerConfig.atLeastOneMilli("stuck grace", grace);
            return this;
        }

        public HandlerOptions build() {
            return new HandlerOptions(this);
        }
    }
}
