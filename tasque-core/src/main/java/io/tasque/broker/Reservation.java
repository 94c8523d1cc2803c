package io.tasque.broker;

import java.util.List;

/**
 * What one {@link Broker#reserve} call returned: the leased jobs, the time (epoch ms) the earliest delayed
 * job of those queues falls due, or -1 when none is waiting, so a fetcher knows how long it may block, and
 * for the acks handed in with the call, whether each lease was still held.
 */
public record Reservation(List<Delivery> deliveries, long nextDueMillis, boolean[] acked) {

    public static final Reservation EMPTY = new Reservation(List.of(), -1);

    public Reservation(List<Delivery> deliveries, long nextDueMillis) {
        this(deliveries, nextDueMillis, new boolean[0]);
    }

    public boolean isEmpty() {
        return deliveries.isEmpty();
    }
}
