package io.tasque.broker;

import java.util.Objects;

/**
 * One leased job as a worker received it. {@code attempt} is both the run number and the fencing token
 * of the lease; {@code leaseExpiries} counts earlier runs whose lease ran out (worker crashed or hung).
 * {@code payload} is null when the job's payload was missing from the broker. {@code partition} is the
 * partition of the queue the job is stored in ({@link Partitioning}; 0 for a queue that is not split).
 */
public record Delivery(String queue, String id, int attempt, byte[] payload, int leaseExpiries, int partition) {

    public Delivery {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(id, "id");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, was " + partition);
        }
    }

    /** A delivery from a queue that is not split into partitions. */
    public Delivery(String queue, String id, int attempt, byte[] payload, int leaseExpiries) {
        this(queue, id, attempt, payload, leaseExpiries, 0);
    }

    @Override
    public String toString() {
        return queue + (partition == 0 ? "" : "[" + partition + "]") + "/" + id + "#" + attempt;
    }
}
