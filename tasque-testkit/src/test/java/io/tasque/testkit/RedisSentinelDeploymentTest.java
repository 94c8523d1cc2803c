package io.tasque.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A real master, replica and three sentinels: they agree on the master, and a killed master is replaced. */
class RedisSentinelDeploymentTest {

    @Test
    void startsAMasterAReplicaAndThreeSentinelsThatAllNameTheMaster() {
        Path sentinelDir;
        try (RedisSentinelDeployment d = RedisSentinelDeployment.start()) {
            RedisServer master = d.dataServers().get(0);
            RedisServer replica = d.dataServers().get(1);
            assertEquals(master, d.master());
            assertTrue(replica.command("INFO", "replication").contains("role:slave"));
            assertEquals(3, d.sentinels().size());
            for (RedisServer s : d.sentinels()) {
                assertEquals("127.0.0.1\n" + master.port(), s.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"));
                assertTrue(s.command("INFO", "server").contains("redis_mode:sentinel"), s.uri());
            }
            List<RedisServer> s = d.sentinels();
            assertEquals("redis-sentinel://127.0.0.1:" + s.get(0).port() + ",127.0.0.1:" + s.get(1).port() + ",127.0.0.1:"
                    + s.get(2).port() + "/mymaster", d.uri());
            sentinelDir = s.get(0).dataDir();
            assertTrue(Files.readString(sentinelDir.resolve("sentinel.conf")).contains("known-replica mymaster"),
                    "the sentinel wrote what it learnt into its config file");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertFalse(Files.exists(sentinelDir), "close() deletes the sentinels' directories");
    }

    @Test
    void killingTheMasterPromotesTheReplicaWithItsData() {
        try (RedisSentinelDeployment d = RedisSentinelDeployment.start()) {
            RedisServer replica = d.dataServers().get(1);
            d.master().command("SET", "k", "v");
            d.master().command("WAIT", "1", "5000");
            long start = System.nanoTime();
            RedisServer old = d.killMaster();
            assertFalse(old.isRunning());
            RedisServer promoted = d.awaitPromotion(old, Duration.ofSeconds(20));
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.println("sentinel failover took " + ms + " ms");
            assertEquals(replica, promoted);
            assertNotEquals(old, d.master());
            assertEquals("v", promoted.command("GET", "k"));
            assertEquals("OK", promoted.command("SET", "k", "w"), "the promoted replica takes writes");
        }
    }
}
