package io.tasque.client;

import io.tasque.broker.Broker;
import io.tasque.broker.EnqueueNew;
import io.tasque.broker.Sharding;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client's submit lanes: one per shard of the broker (a master of a Redis Cluster), each with its own group commit
 * ({@link SubmitBatcher}) and circuit breaker ({@link SubmitGuard}). A shard that is down then delays and fails only
 * the submits to its own queues: the others neither queue up behind its timeouts nor meet its open breaker. A broker
 * of one shard has one lane, found without a lookup.
 */
final class SubmitLanes {

    /** One shard's group commit and breaker. */
    record Lane(String shard, SubmitGuard guard, SubmitBatcher batcher) {
    }

    private final String broker;
    private final EnqueueNew store;
    private final CircuitBreakerSettings settings;
    private final int batchSize;
    /** Null for a broker of one shard. */
    private final Sharding sharding;
    private final Lane only;
    private final Map<String, Lane> byShard = new ConcurrentHashMap<>();

    SubmitLanes(Broker broker, EnqueueNew store, CircuitBreakerSettings settings, int batchSize) {
        this.broker = broker.describe();
        this.store = store;
        this.settings = settings;
        this.batchSize = batchSize;
        this.sharding = broker.capability(Sharding.class).orElse(null);
        this.only = sharding == null ? newLane("") : null;
    }

    /** The lane of the shard that stores new jobs of {@code queue} now. */
    Lane laneOf(String queue) {
        return sharding == null ? only : byShard.computeIfAbsent(sharding.shardOf(queue), this::newLane);
    }

    /** True when every queue has the same lane. */
    boolean single() {
        return sharding == null;
    }

    private Lane newLane(String shard) {
        SubmitGuard guard = new SubmitGuard(broker, shard, settings);
        return new Lane(shard, guard, new SubmitBatcher(jobs -> guard.call(() -> store.enqueueNew(jobs)), broker, batchSize));
    }
}
