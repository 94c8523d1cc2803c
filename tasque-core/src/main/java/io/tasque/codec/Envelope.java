package io.tasque.codec;

import java.util.Map;
import java.util.Objects;

/**
 * What travels through the queue for one job: the task name and params plus the job's identity and
 * lifetime. Times are epoch milliseconds; {@code expiresAt} 0 means the job never expires.
 */
public record Envelope(String id, String name, Map<String, Object> params, long enqueuedAt, long expiresAt) {

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        params = params == null ? Map.of() : params;
    }

    /** True if the job's time to live has run out at {@code nowMillis}. */
    public boolean expiredAt(long nowMillis) {
        return expiresAt > 0 && nowMillis >= expiresAt;
    }
}
