package io.tasque.broker;

/**
 * One job as a broker holds it, for lookups ({@link JobLookup}): its state, the runs it has had, its payload and
 * last error.
 *
 * @param queue     the queue (task name), not the partition
 * @param id        the job id
 * @param state     where the job is now
 * @param attempt   a running job's current attempt; otherwise the runs it has had (0 = never ran)
 * @param payload   the encoded task, or null when the broker no longer holds it (a succeeded job)
 * @param lastError the last error, or null when none
 * @param atMillis  a delayed job's due time, a running job's lease deadline, a dead job's time of death, the end of
 *                  a succeeded job's uniqueness window, the time a cancelled job was cancelled (epoch ms); 0 for a
 *                  ready job
 */
public record StoredJob(String queue, String id, State state, int attempt, byte[] payload, String lastError, long atMillis) {

    /** The states a broker can report. */
    public enum State {
        /** Waiting in its queue. */
        READY,
        /** Waiting for its due time. */
        DELAYED,
        /** Leased by a worker. */
        RUNNING,
        /** Succeeded; reported while a caller-chosen id's uniqueness window lasts. */
        SUCCEEDED,
        /** In the dead letter. */
        DEAD,
        /** Cancelled: deleted when it was ready or delayed; while a cancelled run goes on, it still has its payload. */
        CANCELLED
    }
}
