package io.tasque.broker;

import java.util.List;

/**
 * What one {@link Broker#reserve} call returned: the leased jobs, and the time (epoch ms) the earliest delayed
 * job of those queues falls due, or -1 when none is waiting, so a fetcher knows how long it may block.
 */
public record Reservation(List<Delivery> deliveries, long nextDueMillis) {

    public static final Reservation EMPTY = new Reservation(List.of(), -1);

    public boolean isEmpty() {
        return deliveries.isEmpty();
    }
}
