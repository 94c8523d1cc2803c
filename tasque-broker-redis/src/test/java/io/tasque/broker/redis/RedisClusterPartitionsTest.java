package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.testkit.RedisCluster;
import io.tasque.testkit.WithRedisCluster;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Partitions on a real Redis Cluster (three masters with a replica each): one queue on several masters. */
@WithRedisCluster
class RedisClusterPartitionsTest extends PartitionsContract {

    private final RedisCluster cluster;

    RedisClusterPartitionsTest(RedisCluster cluster) {
        this.cluster = cluster;
    }




    @Override
    RedisBroker open(BrokerOptions options) {
        return new RedisBroker(BrokerUri.parse(cluster.uri()), options);
    }

    @Override
    String command(String key, String... args) {
        return cluster.masterOf(cluster.slotOf(key)).command(args);
    }

    @Test
    void theThreePartitionsUsedHereLiveOnThreeMasters() {
        Set<Integer> masters = new HashSet<>();
        for (String p : new String[] {"work", "work#1", "work#2"}) {
            masters.add(cluster.masterOf(cluster.slotOf("tasque:{" + p + "}:ready")).port());
        }
        assertEquals(3, masters.size(), "the tests above spread one queue over every master");
    }
}
