package io.tasque.client;

/**
 * How many jobs of one task name are in each state: ready to run, waiting for their time (delayed or a retry's
 * backoff), running (leased by a worker), dead.
 */
public record QueueCounts(String name, long ready, long delayed, long running, long dead) {
}
