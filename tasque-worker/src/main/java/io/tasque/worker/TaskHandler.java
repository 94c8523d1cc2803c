package io.tasque.worker;

import io.tasque.Task;

/**
 * Does the work of one task. Returning normally acks the job; throwing anything (checked exception,
 * RuntimeException or Error) counts as a failed run, which is retried after backoff or dead-lettered.
 * A handler may run more than once for the same job (at-least-once delivery), so make it idempotent.
 */
@FunctionalInterface
public interface TaskHandler {

    /** Runs one job; returning normally acks it, throwing fails the run (retried after backoff, or dead-lettered). */
    void handle(Task task) throws Exception;
}
