package io.tasque.client;

/**
 * How many runs of one task name's jobs have ended since its queue's first run, counted by the broker across every
 * worker: {@code completed} runs returned normally (acked), {@code failed} runs threw or timed out (retried later or
 * dead-lettered). Both only grow; the difference of two readings over their interval is the throughput.
 *
 * @param name      the task name
 * @param completed runs that succeeded
 * @param failed    runs that failed
 */
public record QueueTotals(String name, long completed, long failed) {
}
