package io.tasque.broker;

import java.util.List;

/**
 * What one {@link Broker#reserve} call returned: the leased jobs, the time (epoch ms) the earliest delayed
 * job of those queues falls due, or -1 when none is waiting, so a fetcher knows how long it may block, for
 * the acks handed in with the call, whether each lease was still held, and the queues the broker could not
 * serve because of bad data (left untouched; an ack into one of them was not applied), and the queues held back by
 * their limits ({@link LimitedReserve}; none otherwise).
 */
public record Reservation(List<Delivery> deliveries, long nextDueMillis, boolean[] acked, List<BrokenQueue> broken,
        List<QueueHold> holds) {

    public static final Reservation EMPTY = new Reservation(List.of(), -1);

    /** A reservation without acks, broken queues or holds. */
    public Reservation(List<Delivery> deliveries, long nextDueMillis) {
        this(deliveries, nextDueMillis, new boolean[0]);
    }

    /** A reservation with the results of its acks, without broken queues or holds. */
    public Reservation(List<Delivery> deliveries, long nextDueMillis, boolean[] acked) {
        this(deliveries, nextDueMillis, acked, List.of());
    }

    /** A reservation without holds. */
    public Reservation(List<Delivery> deliveries, long nextDueMillis, boolean[] acked, List<BrokenQueue> broken) {
        this(deliveries, nextDueMillis, acked, broken, List.of());
    }

    /** True when no job was leased. */
    public boolean isEmpty() {
        return deliveries.isEmpty();
    }
}
