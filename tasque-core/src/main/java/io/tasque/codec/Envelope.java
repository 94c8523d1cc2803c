package io.tasque.codec;

import java.util.Map;
import java.util.Objects;

/**
 * What travels through the queue for one job: the task name, params and headers plus the job's identity and
 * lifetime. Times are epoch milliseconds; {@code expiresAt} 0 means the job never expires. {@code headers} is
 * never null: empty when the task has none.
 */
public record Envelope(String id, String name, Map<String, Object> params, long enqueuedAt, long expiresAt,
        Map<String, String> headers) {

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        params = params == null ? Map.of() : params;
        headers = headers == null ? Map.of() : headers;
    }

    /** An envelope without headers. */
    public Envelope(String id, String name, Map<String, Object> params, long enqueuedAt, long expiresAt) {
        this(id, name, params, enqueuedAt, expiresAt, Map.of());
    }

    /** True if the job's time to live has run out at {@code nowMillis}. */
    public boolean expiredAt(long nowMillis) {
        return expiresAt > 0 && nowMillis >= expiresAt;
    }
}
