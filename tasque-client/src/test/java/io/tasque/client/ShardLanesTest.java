package io.tasque.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.BrokerException;
import io.tasque.testkit.RedisCluster;
import io.tasque.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a real Redis Cluster, a client keeps one submit lane (group commit and circuit breaker) per master: a frozen
 * master opens only its own breaker, and submits to queues on the other masters go on.
 */
class ShardLanesTest {

    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
        for (RedisServer node : cluster.nodes()) {
            // the frozen master stays frozen (no replica takes over) and the other masters keep serving their slots
            node.command("CONFIG", "SET", "cluster-replica-no-failover", "yes");
            node.command("CONFIG", "SET", "cluster-require-full-coverage", "no");
        }
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    /**
     * A queue split over the three masters keeps taking submits while one of them is down: jobs meant for the dead
     * master's partition go to the other partitions (the connection was refused, so nothing was sent there).
     */
    @Test
    void aSplitQueueKeepsTakingSubmitsWhileOneOfItsMastersIsDown() throws Exception {
        RedisServer dead = masterOf("work");
        assertEquals(3, java.util.Set.of(dead.port(), masterOf("work#1").port(), masterOf("work#2").port()).size(),
                "the partitions of 'work' live on the three masters");
        try (TasqueClient client = TasqueClient.builder().broker(cluster.uri()).enqueueTimeout(Duration.ofSeconds(2)).build()) {
            client.admin().partitions("work", 3);
            dead.kill();
            try {
                for (int i = 0; i < 30; i++) {
                    client.submit(Task.of("work").set("i", i));
                }
                long elsewhere = Long.parseLong(masterOf("work#1").command("LLEN", "tasque:{work#1}:ready"))
                        + Long.parseLong(masterOf("work#2").command("LLEN", "tasque:{work#2}:ready"));
                assertEquals(30, elsewhere, "every job went to the partitions whose masters are up");
            } finally {
                dead.restart();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!cluster.nodes().stream().allMatch(n -> n.command("CLUSTER", "INFO").contains("cluster_state:ok"))) {
                    assertTrue(System.nanoTime() < deadline, "the cluster did not settle after the restart");
                    Thread.sleep(50);
                }
            }
        }
    }

    private static RedisServer masterOf(String queue) {
        return cluster.masterOf(cluster.slotOf("tasque:{" + queue + "}:ready"));
    }

    @Test
    void aFrozenMasterOpensOnlyItsOwnShardsBreaker() {
        // "a" and "b" live on different masters (see ClusterWorkerTest's five queues)
        RedisServer frozen = masterOf("a");
        assertNotEquals(frozen.port(), masterOf("b").port());
        CircuitBreakerSettings quick = new CircuitBreakerSettings(true, 50f, 3, 3, Duration.ofSeconds(30), 1);
        try (TasqueClient client = TasqueClient.builder().broker(cluster.uri()).enqueueTimeout(Duration.ofMillis(600))
                .circuitBreaker(quick).build()) {
            client.submit(Task.of("a"));
            client.submit(Task.of("b"));
            frozen.pause();
            try {
                for (int i = 0; i < 3; i++) {
                    assertThrows(BrokerException.class, () -> client.submit(Task.of("a")));
                }
                BrokerException fast = assertThrows(BrokerException.class, () -> client.submit(Task.of("a")));
                assertTrue(fast.getMessage().contains("circuit breaker open")
                        && fast.getMessage().contains("shard 127.0.0.1:" + frozen.port()), fast.getMessage());

                String id = client.submit(Task.of("b"));
                assertTrue(!id.isEmpty(), "a submit to another master goes through while the frozen one's breaker is open");

                BrokerException partly = assertThrows(BrokerException.class,
                        () -> client.submitAll(List.of(Task.of("b").set("n", 1), Task.of("a").set("n", 2))));
                assertTrue(partly.getMessage().contains("submitAll stored 1 of 2 jobs"), partly.getMessage());
            } finally {
                frozen.resume();
            }
            assertEquals(3, client.admin().stats("b").ready(), "b's jobs, the one of the mixed call included");
        }
    }
}
