package io.tasque.broker;

import java.time.Instant;

/**
 * A dead-lettered job: its payload (null if it was missing), the number of runs it had, why it died
 * (the last error with its stack summary, or a reason such as "lease expired 3 times") and when.
 */
public record DeadJob(String queue, String id, byte[] payload, int attempts, String lastError, Instant diedAt) {
}
