package io.tasque.broker.redis;

import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.testkit.RedisCluster;
import io.tasque.testkit.WithRedisCluster;

/**
 * The schedules contract on a Redis Cluster: every schedule key carries the hash tag {@code {schedules}}, so each
 * script runs on the one master of that slot.
 */
@WithRedisCluster
class RedisClusterSchedulingTest extends SchedulingContract {

    private final RedisCluster cluster;

    RedisClusterSchedulingTest(RedisCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    protected RedisBroker open(BrokerOptions options) {
        return new RedisBroker(BrokerUri.parse(cluster.uri()), options);
    }

    @Override
    protected String command(String... args) {
        return cluster.masterOf(cluster.slotOf("{schedules}")).command(args);
    }
}
