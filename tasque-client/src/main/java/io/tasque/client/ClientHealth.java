package io.tasque.client;

import java.time.Instant;

/**
 * A client's health as an application's health check sees it ({@link TasqueClient#health()}): whether it is open,
 * whether its broker answered just now, the error that describes what is wrong (null when nothing is; a refusal in
 * the server's words, or why it is unreachable), and since when the current state holds.
 */
public record ClientHealth(boolean open, boolean brokerReachable, String lastError, Instant since) {

    /** True when the client is open, its broker answers, and it reports no error. */
    public boolean healthy() {
        return open && brokerReachable && lastError == null;
    }
}
