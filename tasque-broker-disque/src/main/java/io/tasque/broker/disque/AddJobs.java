package io.tasque.broker.disque;

import io.tasque.broker.OutgoingJob;
import java.time.Clock;
import java.util.function.IntSupplier;

/**
 * Builds every ADDJOB tasque sends, each kind of copy with its own options: submits (the only ones with MAXLEN
 * and ASYNC), retry copies (DELAY = the backoff, the original's remaining TTL), dead-letter entries (kept for the
 * dead-letter TTL) and revived dead jobs. All use the lease as RETRY and the configured replication, capped at
 * one copy per node of the cluster.
 */
final class AddJobs {

    /** RETRY of a dead-letter entry. Nobody fetches dead letters; this only matters if the node holding one fails. */
    static final long DEAD_RETRY_SECONDS = 3600;

    private final DisqueOptions options;
    private final long timeoutMillis;
    private final Clock clock;
    private final IntSupplier clusterSize;

    /**
     * @param timeoutMillis how long Disque may wait for replication; kept below the socket timeout
     * @param clusterSize   how many nodes the cluster has (failing ones included), which caps the copies asked for
     */
    AddJobs(DisqueOptions options, long timeoutMillis, Clock clock, IntSupplier clusterSize) {
        this.options = options;
        this.timeoutMillis = timeoutMillis;
        this.clock = clock;
        this.clusterSize = clusterSize;
    }

    AddJob submit(OutgoingJob job) {
        long now = clock.millis();
        long delay = AddJob.delaySeconds(job.dueAtMillis(), now);
        return common(AddJob.to(QueueNames.live(job.queue()), job.payload()))
                .delay(delay)
                .ttl(ttlFor(job.payload(), now, delay))
                .maxLen(options.maxLen())
                .async(options.async());
    }

    /** A failed job's next run: {@code body} already carries the run count and error. */
    AddJob retryCopy(String task, byte[] body, long dueAtMillis, long remainingTtlSeconds) {
        long delay = AddJob.delaySeconds(dueAtMillis, clock.millis());
        return common(AddJob.to(QueueNames.live(task), body))
                .delay(delay)
                .ttl(Math.max(remainingTtlSeconds, delay + 1));
    }

    /** A dead job: {@code body} carries the run count, the reason and the time of death. */
    AddJob deadEntry(String task, byte[] body) {
        return AddJob.to(QueueNames.dead(task), body)
                .timeout(timeoutMillis)
                .replicate(copies())
                .retry(DEAD_RETRY_SECONDS)
                .ttl(options.deadLetterTtlSeconds());
    }

    /** A dead job sent back to run from attempt 1. */
    AddJob revival(String task, byte[] payload) {
        return common(AddJob.to(QueueNames.live(task), payload)).ttl(ttlFor(payload, clock.millis(), 0));
    }

    private AddJob common(AddJob add) {
        return add.timeout(timeoutMillis).replicate(copies()).retry(options.leaseSeconds());
    }

    private int copies() {
        return options.copiesOn(clusterSize.getAsInt());
    }

    private long ttlFor(byte[] payload, long now, long delay) {
        return AddJob.ttlSeconds(GoTasqueCodec.expiresAtOf(payload), now, delay, options.ttlGraceSeconds(),
                options.defaultTtlSeconds());
    }
}
