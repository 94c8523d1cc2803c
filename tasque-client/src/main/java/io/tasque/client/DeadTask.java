package io.tasque.client;

import io.tasque.Task;
import java.time.Instant;

/**
 * A dead-lettered job as the admin view shows it: the decoded task (null when its payload could not be
 * decoded; then {@code payload} holds the raw text), how many runs it had, its last error and when it died.
 */
public record DeadTask(String queue, String id, Task task, String payload, int attempts, String lastError, Instant diedAt) {
}
