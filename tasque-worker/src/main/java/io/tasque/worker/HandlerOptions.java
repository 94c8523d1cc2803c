package io.tasque.worker;

import io.tasque.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-handler overrides of the worker's retry policy, attempt limit and run timeout, the exceptions that are never
 * retried, and the limits of the task name's queue shared by every worker: a rate limit, a cap on running jobs and a
 * weight among the worker's queues. A null field means "use the worker's setting". Build with {@link #builder()}.
 */
public final class HandlerOptions {

    /**
     * How long a run may go on after its timeout interrupted it before it is declared stuck: 10 s. A handler that
     * honours the interrupt returns well within that; one that does not is logged, its job settled as a failed
     * attempt (well before the default 30 s lease runs out, so with the stuck reason rather than a later "lease
     * expired"), and its thread replaced, so it never holds a thread of the pool for longer than this.
     */
    public static final Duration STUCK_GRACE = Duration.ofSeconds(10);

    /** The time between two starts of a rate limit is per / permits times this. */
    static final double RATE_MARGIN = 1.10;

    /** Everything from the worker. */
    public static final HandlerOptions INHERIT = builder().build();

    private final RetryPolicy retryPolicy;
    private final Integer maxAttempts;
    private final Duration timeout;
    private final List<Class<? extends Throwable>> noRetryOn;
    private final Duration stuckGrace;
    private final int ratePermits;
    private final Duration ratePer;
    private final String rateParam;
    private final int maxRunning;
    private final int weight;

    private HandlerOptions(Builder b) {
        this.retryPolicy = b.retryPolicy;
        this.maxAttempts = b.maxAttempts;
        this.timeout = b.timeout;
        this.noRetryOn = List.copyOf(b.noRetryOn);
        this.stuckGrace = b.stuckGrace;
        this.ratePermits = b.ratePermits;
        this.ratePer = b.ratePer;
        this.rateParam = b.rateParam;
        this.maxRunning = b.maxRunning;
        this.weight = b.weight;
    }

    /** A builder in which everything is inherited from the worker until set. */
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

    /** The queue's limits as these options set them (none: {@link QueueLimits.Spec#NONE}). */
    QueueLimits.Spec limits() {
        // 10 % more than per / permits between starts: a start's way from its lease to its handler varies by a few ms,
        // tens on a loaded machine, and the margin keeps that from putting permits + 1 starts into one window of length per
        long interval = ratePermits == 0 ? 0 : Math.max(1, Math.round(ratePer.toNanos() / 1000.0 / ratePermits * RATE_MARGIN));
        return new QueueLimits.Spec(interval, rateParam, maxRunning, weight, ratePermits == 0 ? null : ratePermits + " per " + ratePer);
    }

    /** Builder with validation in every setter. */
    public static final class Builder {
        private RetryPolicy retryPolicy;
        private Integer maxAttempts;
        private Duration timeout;
        private final List<Class<? extends Throwable>> noRetryOn = new ArrayList<>();
        private Duration stuckGrace = STUCK_GRACE;
        private int ratePermits;
        private Duration ratePer;
        private String rateParam;
        private int maxRunning;
        private int weight = 1;

        /** The waits between attempts of this handler's jobs (the worker's by default). */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = policy;
            return this;
        }

        /** How many runs a job of this handler gets before the dead letter (the worker's by default). */
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

        /**
         * At most {@code permits} starts of this task name every {@code per}, counted across every worker and process,
         * spread evenly: one start every {@code per / permits} stretched by 10 % (no burst), so no window of length
         * {@code per} sees more than {@code permits} handler starts even with tens of ms of jitter between a lease and
         * its handler (20 per second starts about 18 a second). A job held back by the limit is neither a failure nor an attempt: it stays ready,
         * and the worker waits for the next start time without asking the broker in between, while its other queues
         * go on. Every worker handling the name should set the same limit. Replaces an earlier
         * {@link #rateLimitBy}.
         *
         * @throws IllegalArgumentException if {@code permits} is below 1, {@code per} is shorter than 1 ms or the
         *                                  interval it gives is shorter than 1 ms
         */
        public Builder rateLimit(int permits, Duration per) {
            checkRate(permits, per);
            this.ratePermits = permits;
            this.ratePer = per;
            this.rateParam = null;
            return this;
        }

        /**
         * Like {@link #rateLimit}, for each value of the task param {@code paramKey} on its own (per host, per tenant):
         * {@code permits} starts every {@code per} for each value, the values independent of one another. Jobs
         * without the param share one limit. A job whose value's limit is used up is given the next free start time
         * and waits as a delayed job until then (not a failure, not an attempt), so jobs of other values behind it go
         * first. Replaces an earlier {@link #rateLimit}.
         *
         * @throws IllegalArgumentException if {@code paramKey} is null or blank, or as {@link #rateLimit}
         */
        public Builder rateLimitBy(String paramKey, int permits, Duration per) {
            if (paramKey == null || paramKey.isBlank()) {
                throw new IllegalArgumentException("rateLimitBy needs a param key, was " + (paramKey == null ? "null" : "'" + paramKey + "'"));
            }
            checkRate(permits, per);
            this.ratePermits = permits;
            this.ratePer = per;
            this.rateParam = paramKey;
            return this;
        }

        private static void checkRate(int permits, Duration per) {
            if (permits < 1) {
                throw new IllegalArgumentException("rate limit permits must be >= 1, was " + permits);
            }
            if (per == null || per.toMillis() < 1 || per.toMillis() / permits < 1) {
                throw new IllegalArgumentException("rate limit of " + permits + " per " + per
                        + " is not possible: the time between two starts (per / permits) must be at least 1 ms");
            }
        }

        /**
         * At most {@code n} runs of this task name at once across every worker and process. It counts the jobs
         * leased from the queue, so a crashed worker's share comes back when its leases expire. A queue at its cap is
         * not asked again until one of its runs ends (the broker wakes a waiting worker then). Every worker handling
         * the name should set the same cap.
         *
         * @throws IllegalArgumentException if {@code n} is below 1
         */
        public Builder maxRunning(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxRunning must be >= 1, was " + n);
            }
            this.maxRunning = n;
            return this;
        }

        /**
         * This queue's weight among the worker's queues (default 1): when several have a backlog, the worker's free
         * handler slots go to them in proportion to their weights; a queue with nothing ready takes nothing, its
         * share going to the others.
         *
         * @throws IllegalArgumentException if {@code weight} is not between 1 and 1000
         */
        public Builder weight(int weight) {
            if (weight < 1 || weight > 1000) {
                throw new IllegalArgumentException("weight must be between 1 and 1000, was " + weight);
            }
            this.weight = weight;
            return this;
        }

        /** The options as set. */
        public HandlerOptions build() {
            return new HandlerOptions(this);
        }
    }
}
