package io.tasque.worker;

import java.time.Instant;

/**
 * A worker's health as an application's health check sees it: whether it runs, whether its broker answers and
 * accepts it, the error that describes what is wrong now (null when nothing is), with its kind in front
 * ({@code "unreachable: …"}, {@code "refused: NOPERM …"}, {@code "queue 'x' broken: WRONGTYPE …"},
 * {@code "stopped: …"}), and since when the current state holds.
 */
public record WorkerHealth(boolean running, boolean brokerReachable, String lastError, Instant since) {

    /** True when the worker runs, reaches its broker and reports no error. */
    public boolean healthy() {
        return running && brokerReachable && lastError == null;
    }
}
