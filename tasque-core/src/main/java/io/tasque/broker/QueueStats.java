package io.tasque.broker;

/** Counts of one queue's jobs by state: ready to run, waiting for their time, leased by a worker, dead. */
public record QueueStats(String queue, long ready, long delayed, long inFlight, long dead) {
}
