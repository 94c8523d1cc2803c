package io.tasque.broker;

import java.util.Objects;

/**
 * One leased job as a worker received it. {@code attempt} is both the run number and the fencing token
 * of the lease; {@code leaseExpiries} counts earlier runs whose lease ran out (worker crashed or hung).
 * {@code payload} is null when the job's payload was missing from the broker. {@code partition} is the
 * partition of the queue the job is stored in ({@link Partitioning}; 0 for a queue that is not split).
 * {@code id} is what the broker knows this copy of the job by (every call on the delivery uses it); {@code jobId} is
 * the id submit returned, which the handler sees as {@code task.id()}: the same as {@code id}, except on a broker
 * whose retry stores a new copy of the job under a new id (Disque), where it stays the first copy's id.
 */
public record Delivery(String queue, String id, int attempt, byte[] payload, int leaseExpiries, int partition, String jobId) {

    public Delivery {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(jobId, "jobId");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, was " + partition);
        }
    }

    /** A delivery whose job is known by one id throughout. */
    public Delivery(String queue, String id, int attempt, byte[] payload, int leaseExpiries, int partition) {
        this(queue, id, attempt, payload, leaseExpiries, partition, id);
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
