package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.OutgoingJob;
import io.tasque.broker.QueueStats;
import io.tasque.testkit.RedisCluster;
import io.tasque.testkit.RedisSentinelDeployment;
import io.tasque.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code ?statsFrom=replica} on a real Redis Cluster and a real Sentinel deployment: stats and queue names are read on
 * a replica (its {@code INFO commandstats} counts the reads, the master's does not), everything else stays on the
 * master, and a killed replica leaves the reads to the master. The kills come last, as they leave a replica down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaStatsTest {

    private static final BrokerOptions QUICK = BrokerOptions.builder().commandTimeout(Duration.ofSeconds(2)).build();
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private static RedisCluster cluster;
    private static RedisSentinelDeployment sentinel;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start();
        // a node learns who replicates whom by gossip: until every node knows all three replicas, CLUSTER SLOTS
        // on it may list a master without one, and the broker would rightly read that master's stats on the master
        awaitTrue("every node to know the three replicas", () -> cluster.nodes().stream()
                .allMatch(n -> n.command("CLUSTER", "NODES").lines().filter(l -> l.split(" ")[2].contains("slave")).count() == 3));
        // and CLUSTER SLOTS, what the broker reads, may lag behind CLUSTER NODES: wait until it names them too
        awaitTrue("every node's CLUSTER SLOTS to name a replica of each master", () -> cluster.nodes().stream().allMatch(n -> {
            try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(n.host(), n.port())) {
                List<ReplicaReads.Shard> shards = ClusterReplicas.shards(jedis.clusterSlots());
                return shards.size() == 3 && shards.stream().noneMatch(s -> s.replicas().isEmpty());
            }
        }));
        sentinel = RedisSentinelDeployment.start(1);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (sentinel != null) {
            sentinel.close();
        }
    }

    @Test
    @Order(1)
    void onAClusterStatsAndQueuesAreReadOnTheReplicaOfEachMasterAndDeadJobsOnTheMaster() {
        List<String> queues = RedisClusterBrokerTest.SPREAD;
        flushMasters();
        try (Broker b = Brokers.open(cluster.uri() + "?statsFrom=replica", QUICK)) {
            List<OutgoingJob> jobs = new ArrayList<>();
            for (String q : queues) {
                jobs.add(new OutgoingJob(q, q + "1", new byte[] {1}, 0));
            }
            b.enqueue(jobs);
            for (String q : queues) {
                awaitTrue("stats of " + q + " from its replica to show the job", () -> b.stats(q).ready() == 1);
            }
            resetStats(cluster.nodes());
            for (String q : queues) {
                assertEquals(new QueueStats(q, 1, 0, 0, 0), b.stats(q));
                int slot = cluster.slotOf("tasque:{" + q + "}:ready");
                RedisServer master = cluster.masterOf(slot);
                RedisServer replica = replicaOf(master);
                assertTrue(calls(replica, "llen") >= 1, "stats of " + q + " read on its replica " + replica + ": "
                        + everyCount("llen"));
                assertEquals(0, calls(master, "llen"), "and not on its master " + master);
                b.deadJobs(q, 0, 10);
                assertTrue(calls(master, "zrange") >= 1, "deadJobs of " + q + " read on the master");
                assertEquals(0, calls(replica, "zrange"), "deadJobs never on a replica");
            }
            assertEquals(queues, b.queues());
            for (RedisServer node : cluster.nodes()) {
                boolean isMaster = node.command("ROLE").startsWith("master");
                assertEquals(isMaster ? 0 : 1, calls(node, "scan") > 0 ? 1 : 0, "queues() scanned " + node);
            }
        }
    }

    @Test
    @Order(1)
    void onASentinelDeploymentStatsAndQueuesAreReadOnAReplicaTheSentinelsReportUp() {
        RedisServer master = sentinel.master();
        RedisServer replica = sentinelReplicaBeside(master);
        master.flushAll();
        try (Broker b = Brokers.open(sentinel.uri() + "?statsFrom=replica", QUICK)) {
            b.enqueue(List.of(new OutgoingJob("q", "a", new byte[] {1}, 0)));
            awaitTrue("stats from the replica to show the job", () -> b.stats("q").ready() == 1);
            resetStats(sentinel.dataServers());
            assertEquals(new QueueStats("q", 1, 0, 0, 0), b.stats("q"));
            assertEquals(List.of("q"), b.queues());
            assertTrue(calls(replica, "llen") >= 1 && calls(replica, "scan") >= 1, "read on the replica");
            assertEquals(0, calls(master, "llen") + calls(master, "scan"), "not on the master");
            assertEquals(1, b.reserve(List.of("q"), 10, Duration.ofSeconds(30)).deliveries().size());
            assertTrue(calls(master, "evalsha") + calls(master, "eval") >= 1, "reserve ran on the master");
        }
    }

    @Test
    @Order(2)
    void onAClusterAKilledReplicaLeavesTheReadsToItsMaster() {
        int slot = cluster.slotOf("tasque:{a}:ready");
        RedisServer master = cluster.masterOf(slot);
        RedisServer replica = replicaOf(master);
        flushMasters();
        try (Broker b = Brokers.open(cluster.uri() + "?statsFrom=replica", QUICK)) {
            b.enqueue(List.of(new OutgoingJob("a", "k1", new byte[] {1}, 0)));
            awaitTrue("stats from the replica to show the job", () -> b.stats("a").ready() >= 1);
            replica.kill();
            b.enqueue(List.of(new OutgoingJob("a", "k2", new byte[] {1}, 0)));
            resetStats(List.of(master));
            // the broker still takes the replica for one: the read fails there and goes to the master
            assertEquals(2, b.stats("a").ready());
            assertEquals(1, calls(master, "llen"), "read on the master once the replica was gone");
            assertTrue(b.queues().contains("a"));
        }
    }

    @Test
    @Order(2)
    void onASentinelDeploymentAKilledReplicaLeavesTheReadsToTheMaster() {
        RedisServer master = sentinel.master();
        RedisServer replica = sentinelReplicaBeside(master);
        master.flushAll();
        try (Broker b = Brokers.open(sentinel.uri() + "?statsFrom=replica", QUICK)) {
            b.enqueue(List.of(new OutgoingJob("q", "a", new byte[] {1}, 0)));
            awaitTrue("stats from the replica to show the job", () -> b.stats("q").ready() == 1);
            replica.kill();
            b.enqueue(List.of(new OutgoingJob("q", "b", new byte[] {1}, 0)));
            resetStats(List.of(master));
            assertEquals(2, b.stats("q").ready(), "the master's count, the replica being dead");
            assertEquals(List.of("q"), b.queues());
            assertEquals(1, calls(master, "llen"));
            assertFalse(replica.isRunning());
        }
    }

    private static String everyCount(String command) {
        StringBuilder b = new StringBuilder();
        for (RedisServer node : cluster.nodes()) {
            if (node.isRunning()) {
                b.append(node.port()).append(' ').append(node.command("ROLE").replace('\n', ' ')).append(": ")
                        .append(calls(node, command)).append("; ");
            }
        }
        return b.toString();
    }

    private static void flushMasters() {
        for (RedisServer node : cluster.nodes()) {
            if (node.isRunning() && node.command("ROLE").startsWith("master")) {
                node.flushAll();
            }
        }
    }

    /** The running replica of {@code master}, as its {@code ROLE} says. */
    private static RedisServer replicaOf(RedisServer master) {
        for (RedisServer node : cluster.nodes()) {
            if (node.isRunning() && node != master) {
                String role = node.command("ROLE");
                if (role.startsWith("slave") && role.contains("\n" + master.port() + "\n")) {
                    return node;
                }
            }
        }
        throw new AssertionError("no running replica of " + master);
    }

    private static void resetStats(List<RedisServer> servers) {
        for (RedisServer s : servers) {
            if (s.isRunning()) {
                s.command("CONFIG", "RESETSTAT");
            }
        }
    }

    /** How many times {@code command} ran on {@code server} since its last CONFIG RESETSTAT. */
    private static long calls(RedisServer server, String command) {
        for (String line : server.command("INFO", "commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                String rest = line.substring(("cmdstat_" + command + ":calls=").length());
                return Long.parseLong(rest.substring(0, rest.indexOf(',')));
            }
        }
        return 0;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + SETTLE.toSeconds() + " s in vain for " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(20); // a poll interval, not a synchronisation: the loop waits on the condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** A data server of the Sentinel deployment other than {@code master}: its replica. */
    private static RedisServer sentinelReplicaBeside(RedisServer master) {
        return sentinel.dataServers().stream().filter(s -> s != master).findFirst().orElseThrow();
    }
}
