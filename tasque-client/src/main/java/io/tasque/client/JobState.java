package io.tasque.client;

/** Where a job is in its life, as {@link TasqueAdmin#job} reports it. */
public enum JobState {
    /** Waiting in its queue for a worker. */
    READY,
    /** Waiting for its due time: a delayed submit, or a retry after a failure. */
    DELAYED,
    /** Leased by a worker, its handler running. */
    RUNNING,
    /** Its handler returned normally; reported while a caller-chosen id's uniqueness window lasts. */
    SUCCEEDED,
    /** In the dead letter, with its last error. */
    DEAD,
    /**
     * Cancelled ({@link TasqueClient#cancel}): deleted if it was waiting; if it was running, its handler is being
     * interrupted and its run's outcome will not be recorded. Reported for 24 hours after the cancel.
     */
    CANCELLED
}
