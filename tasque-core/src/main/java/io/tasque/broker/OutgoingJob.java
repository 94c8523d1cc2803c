package io.tasque.broker;

import java.util.Objects;

/**
 * A job on its way into a queue: its id, its encoded payload, when it becomes ready (0 = now), and, for an id the
 * caller chose, how long the id stays taken after the job succeeded ({@code uniqueForMillis} >= 0; -1 for an id
 * the client made, which needs no uniqueness record).
 */
public record OutgoingJob(String queue, String id, byte[] payload, long dueAtMillis, long uniqueForMillis) {

    /** {@link #uniqueForMillis()} of a job whose id the client made. */
    public static final long MADE_ID = -1;

    public OutgoingJob {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(payload, "payload");
        if (uniqueForMillis < MADE_ID) {
            throw new IllegalArgumentException("uniqueForMillis must be >= 0, or -1 for a made id; was " + uniqueForMillis);
        }
    }

    /** A job whose id the client made. */
    public OutgoingJob(String queue, String id, byte[] payload, long dueAtMillis) {
        this(queue, id, payload, dueAtMillis, MADE_ID);
    }

    /**
     * True if the caller chose the id: at most one job per queue and id exists at a time, and the broker keeps a
     * record of it for {@link #uniqueForMillis()} after it succeeded.
     */
    public boolean chosenId() {
        return uniqueForMillis != MADE_ID;
    }

    /** The same job bound for {@code other} (a partition of its queue). */
    public OutgoingJob toQueue(String other) {
        return new OutgoingJob(other, id, payload, dueAtMillis, uniqueForMillis);
    }
}
