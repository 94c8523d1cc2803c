package io.tasque.broker;

/**
 * A broker made of parts that fail apart (the masters of a Redis Cluster): a submit to a queue on a part that is down
 * need not wait for, or fail, submits to queues on the other parts. The client keeps one submit lane (group commit and
 * circuit breaker) per shard.
 */
public interface Sharding extends BrokerCapability {

    /**
     * A name for the part of the broker that stores new jobs of {@code queue} now: submits to queues of the same shard
     * share a lane. It may change (a failover moves a shard to another node); it never fails, falling back to a name
     * of its own when the broker cannot tell.
     */
    String shardOf(String queue);
}
