package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.testkit.RedisCluster;
import io.tasque.testkit.RedisServer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Partitions on a real Redis Cluster (three masters with a replica each): one queue on several masters. */
class RedisClusterPartitionsTest extends PartitionsContract {

    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void emptyEveryMaster() {
        for (RedisServer node : cluster.nodes()) {
            if (node.command("ROLE").startsWith("master")) {
                node.flushAll();
            }
        }
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
