package io.tasque.client;

import java.time.Instant;

/**
 * What {@link TasqueAdmin#retryDead} did: whether a dead job was sent back to its queue, the id it runs under,
 * and when its fresh time to live runs out ({@code expiresAt} null when it never expires, or when nothing was
 * retried). {@link #toString()} says it in words, for a log line or a command's output.
 */
public record DeadRetry(String queue, String id, boolean retried, Instant expiresAt) {

    static DeadRetry none(String queue, String id) {
        return new DeadRetry(queue, id, false, null);
    }

    @Override
    public String toString() {
        if (!retried) {
            return "no dead job " + queue + "/" + id + "; nothing retried";
        }
        return "dead job " + queue + "/" + id + " sent back to its queue to run from attempt 1; "
                + (expiresAt == null ? "it never expires" : "it expires at " + expiresAt);
    }
}
