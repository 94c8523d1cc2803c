package io.tasque.broker;

import java.time.Duration;
import java.util.List;

/**
 * A broker that leases within limits shared by every worker ({@link QueueLimit}): rate limits (a job held back by
 * its rate is neither a failure nor an attempt: it stays ready, or, for a per-param rate, waits as a delayed job until
 * the start time it was given), a cap on a queue's running jobs that counts leases (a crashed worker's leases, and so
 * its share of the cap, come back when they expire), and per-call quotas from the queues' weights.
 */
public interface LimitedReserve extends BrokerCapability {

    /**
     * As {@link AckingReserve#reserve}, within {@code limits} (queues without one are not limited). The result's
     * {@link Reservation#holds()} names the queues held back, so a worker waits for them without asking again.
     */
    Reservation reserve(List<String> queues, int max, Duration lease, List<Delivery> acks, List<QueueLimit> limits);
}
