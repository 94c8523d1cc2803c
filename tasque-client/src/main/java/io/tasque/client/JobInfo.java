package io.tasque.client;

import java.time.Instant;
import java.util.Map;

/**
 * One job as {@link TasqueAdmin#job} and {@link TasqueAdmin#jobs} report it.
 *
 * @param id        the job id
 * @param name      the task name (its queue)
 * @param state     where the job is now
 * @param attempt   a running job's current attempt; otherwise the runs it has had (0 = never ran)
 * @param params    the task's parameters; empty for a succeeded job (its payload is gone) or one that cannot be decoded
 * @param lastError the last error, or null when none
 * @param at        a delayed job's due time, a running job's lease deadline, a dead job's time of death, the end of a
 *                  succeeded job's uniqueness window; null for a ready job
 * @param headers   the task's headers ({@link io.tasque.Task#headers()}); empty when it has none or its payload is gone
 */
public record JobInfo(String id, String name, JobState state, int attempt, Map<String, Object> params, String lastError,
                      Instant at, Map<String, String> headers) {

    public JobInfo {
        headers = headers == null ? Map.of() : headers;
    }

    /** A job without headers. */
    public JobInfo(String id, String name, JobState state, int attempt, Map<String, Object> params, String lastError, Instant at) {
        this(id, name, state, attempt, params, lastError, at, Map.of());
    }
}
