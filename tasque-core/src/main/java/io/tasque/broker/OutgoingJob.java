package io.tasque.broker;

import java.util.Objects;

/** A job on its way into a queue: its id, its encoded payload, and when it becomes ready (0 = now). */
public record OutgoingJob(String queue, String id, byte[] payload, long dueAtMillis) {

    public OutgoingJob {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(payload, "payload");
    }
}
