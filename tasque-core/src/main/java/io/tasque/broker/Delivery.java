package io.tasque.broker;

import java.util.Objects;

/**
 * One leased job as a worker received it. {@code attempt} is both the run number and the fencing token
 * of the lease; {@code leaseExpiries} counts earlier runs whose lease ran out (worker crashed or hung).
 * {@code payload} is null when the job's payload was missing from the broker.
 */
public record Delivery(String queue, String id, int attempt, byte[] payload, int leaseExpiries) {

    public Delivery {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(id, "id");
    }

    @Override
    public String toString() {
        return queue + "/" + id + "#" + attempt;
    }
}
