package io.tasque.broker;

import java.util.Objects;

/**
 * How a worker limits its leasing from one queue ({@link LimitedReserve}): a rate shared by every worker (one start
 * every {@code rateIntervalMicros}, for the whole queue or, with {@code rateParam}, for each value of that param), a
 * cap on the queue's leases at once across every worker ({@code maxRunning}), and this call's share of the free slots
 * ({@code quota}, from the queue's weight). Zero (or -1 for the quota) means no such limit.
 *
 * @param queue              the queue (task name)
 * @param rateIntervalMicros the time between two starts, in µs; 0 = no rate limit
 * @param rateParam          the param whose value each has its own rate; null = one rate for the whole queue
 * @param maxRunning         most leases of the queue at once, across every worker; 0 = no cap
 * @param quota              most jobs this call leases from the queue before the others had their share; -1 = no quota
 */
public record QueueLimit(String queue, long rateIntervalMicros, String rateParam, int maxRunning, int quota) {

    public QueueLimit {
        Objects.requireNonNull(queue, "queue");
        if (rateIntervalMicros < 0 || maxRunning < 0 || quota < -1) {
            throw new IllegalArgumentException("queue limit of '" + queue + "' out of range: rate interval " + rateIntervalMicros
                    + " µs, maxRunning " + maxRunning + ", quota " + quota);
        }
    }

    /** This limit with another quota. */
    public QueueLimit withQuota(int q) {
        return new QueueLimit(queue, rateIntervalMicros, rateParam, maxRunning, q);
    }
}
