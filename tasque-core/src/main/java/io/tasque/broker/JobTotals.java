package io.tasque.broker;

/**
 * How many runs of one queue's jobs have ended, counted by the broker since the queue's first run: {@code completed}
 * runs were acked (the handler returned), {@code failed} runs were reported failed by their worker (retried later or
 * dead-lettered). Both only grow, so a reader gets a rate from two readings.
 *
 * @param queue     the queue
 * @param completed runs acked
 * @param failed    runs that failed
 */
public record JobTotals(String queue, long completed, long failed) {
}
