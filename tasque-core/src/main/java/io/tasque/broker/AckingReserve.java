package io.tasque.broker;

import java.time.Duration;
import java.util.List;

/** A broker that applies a batch of acks and leases new jobs in one round trip. */
public interface AckingReserve extends BrokerCapability {

    /**
     * Acks {@code acks} (as {@link Broker#ack} does), then reserves as {@link Broker#reserve} does. The result's
     * {@code acked} says, per ack, whether the lease was still held.
     */
    Reservation reserve(List<String> queues, int max, Duration lease, List<Delivery> acks);

    /** The broker's one-trip way, or an {@link Broker#ack} followed by a {@link Broker#reserve}. */
    static AckingReserve of(Broker broker) {
        return broker.capability(AckingReserve.class).orElse((queues, max, lease, acks) -> {
            boolean[] acked = acks.isEmpty() ? new boolean[0] : broker.ack(acks);
            Reservation r = broker.reserve(queues, max, lease);
            return new Reservation(r.deliveries(), r.nextDueMillis(), acked, r.broken());
        });
    }
}
