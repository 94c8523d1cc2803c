package io.tasque.worker;

import io.tasque.retry.RetryPolicy;
import java.time.Duration;
import java.util.List;

/**
 * A registered handler with its effective settings (the worker's, overridden by its own options): no timeout when
 * {@code timeout} is null; {@code stuckGrace} after the timeout's interrupt its run is declared stuck; {@code limits}
 * of its queue shared by every worker (rate, cap, weight).
 */
record Handler(String name, TaskHandler body, RetryPolicy retryPolicy, int maxAttempts, Duration timeout,
        List<Class<? extends Throwable>> noRetryOn, Duration stuckGrace, QueueLimits.Spec limits) {

    Handler(String name, TaskHandler body, RetryPolicy retryPolicy, int maxAttempts, Duration timeout) {
        this(name, body, retryPolicy, maxAttempts, timeout, List.of(), HandlerOptions.STUCK_GRACE, QueueLimits.Spec.NONE);
    }
}
