package io.tasque.broker.disque;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The node each job in this broker's hands was fetched from. A job is {@code active} (delivered, fenceable, held by
 * WORKING) only on the node that handed it out; another node may hold a copy that knows nothing of the delivery, or
 * no copy at all. So every call on a delivery goes to this node, wherever the broker fetches next or fails over to.
 * An entry lives from the fetch until the delivery is acknowledged, retried, buried or released. Bounded: past
 * {@value #MAX_ENTRIES} entries the oldest are forgotten, and a call on such a delivery goes to the current node,
 * as it would on a single node.
 */
final class DeliveryNodes {

    /** More jobs than any worker holds at once; only a caller that never settles its deliveries could reach it. */
    static final int MAX_ENTRIES = 100_000;

    private final Map<String, DisqueNode> byId = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DisqueNode> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    synchronized void fetched(DisqueNode node, String id) {
        byId.put(id, node);
    }

    /** The node job {@code id} was fetched from, or null if this broker did not fetch it (or forgot it). */
    synchronized DisqueNode of(String id) {
        return byId.get(id);
    }

    synchronized void settled(String id) {
        byId.remove(id);
    }

    synchronized int size() {
        return byId.size();
    }
}
