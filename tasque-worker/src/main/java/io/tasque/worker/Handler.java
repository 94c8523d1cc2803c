package io.tasque.worker;

import io.tasque.retry.RetryPolicy;
import java.time.Duration;

/** A registered handler with its effective settings (the worker's, overridden by its own options). */
record Handler(String name, TaskHandler body, RetryPolicy retryPolicy, int maxAttempts, Duration timeout) {
}
