package io.tasque.client;

import io.tasque.Task;

/**
 * Sees every task a {@link TasqueClient} submits, before it is encoded, and returns the task to submit in its place:
 * the place to add headers every job should carry (a trace id, the tenant, who submitted it) or to refuse a task.
 * Registered with {@link TasqueClient.Builder#intercept}; interceptors run in the order they were registered, each
 * on the task the one before returned, for {@code submit}, delayed {@code submit} and every task of
 * {@code submitAll}. What one throws fails the submit with nothing enqueued (for {@code submitAll}: nothing at all).
 */
@FunctionalInterface
public interface SubmitInterceptor {

    /**
     * @return the task to submit: {@code task} itself, or a copy made with {@code header}/{@code set}; never null
     */
    Task intercept(Task task);
}
