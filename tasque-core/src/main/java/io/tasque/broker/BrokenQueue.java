package io.tasque.broker;

import java.util.Objects;

/**
 * A queue a broker could not serve because one of its keys holds data tasque cannot use (e.g. a string where
 * the ready list belongs): the broker left every key of that queue as it was and went on with the other queues.
 * {@code key} names the offending key where the broker could tell (else it is empty); {@code error} is the
 * server's error text.
 */
public record BrokenQueue(String queue, String key, String error) {

    public BrokenQueue {
        Objects.requireNonNull(queue, "queue");
        key = key == null ? "" : key;
        error = error == null ? "" : error;
    }

    @Override
    public String toString() {
        return "queue '" + queue + "'" + (key.isEmpty() ? "" : " (key " + key + ")") + ": " + error;
    }
}
