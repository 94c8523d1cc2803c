package io.tasque.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A worker as {@link TasqueAdmin#workers()} lists it, from the entry it writes every 5 s while it runs.
 *
 * @param id          the worker's id ({@code host:pid:random})
 * @param host        the host it runs on
 * @param pid         its process id
 * @param concurrency its handler threads
 * @param running     the jobs it held at its last heartbeat
 * @param queues      the task names it handles
 * @param heartbeat   when it last wrote its entry
 * @param started     when it started
 */
public record WorkerInfo(String id, String host, long pid, int concurrency, int running, List<String> queues,
                         Instant heartbeat, Instant started) {

    /** A worker whose last heartbeat is older than this (60 s, twelve missed beats) is taken for gone. */
    public static final Duration GONE_AFTER = Duration.ofSeconds(60);

    public WorkerInfo {
        queues = List.copyOf(queues);
    }

    /** True if its last heartbeat is more than {@link #GONE_AFTER} before {@code now}: it died without stopping. */
    public boolean goneAt(Instant now) {
        return heartbeat.plus(GONE_AFTER).isBefore(now);
    }
}
