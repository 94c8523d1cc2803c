package io.tasque.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A real master, replica and three sentinels: they agree on the master, and a master killed or demoted is replaced. */
class RedisSentinelDeploymentTest {

    @Test
    void threeSentinelsNameTheMasterAndPromoteTheReplicaWithItsDataWhenTheMasterIsKilled() throws IOException {
        Path sentinelDir;
        try (RedisSentinelDeployment d = RedisSentinelDeployment.start()) {
            RedisServer master = d.dataServers().get(0);
            RedisServer replica = d.dataServers().get(1);
            assertEquals(master, d.master());
            assertTrue(replica.command("INFO", "replication").contains("role:slave"));
            List<RedisServer> s = d.sentinels();
            assertEquals(3, s.size());
            for (RedisServer sentinel : s) {
                assertEquals("127.0.0.1\n" + master.port(), sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"));
                assertTrue(sentinel.command("INFO", "server").contains("redis_mode:sentinel"), sentinel.uri());
            }
            assertEquals("redis-sentinel://127.0.0.1:" + s.get(0).port() + ",127.0.0.1:" + s.get(1).port() + ",127.0.0.1:"
                    + s.get(2).port() + "/mymaster", d.uri());
            sentinelDir = s.get(0).dataDir();
            assertTrue(Files.readString(sentinelDir.resolve("sentinel.conf")).contains("known-replica mymaster"),
                    "the sentinel wrote what it learnt into its config file");

            master.command("SET", "k", "v");
            // the replica has the write before the master dies (after a diskless sync the master starts the stream
            // only on the replica's first acknowledgement, so a WAIT right after the sync is no proof)
            await().atMost(Duration.ofSeconds(10)).until(() -> "v".equals(replica.command("GET", "k")));
            long start = System.nanoTime();
            RedisServer old = d.killMaster();
            assertFalse(old.isRunning());
            RedisServer promoted = d.awaitPromotion(old, Duration.ofSeconds(20));
            System.out.println("sentinel failover after a SIGKILL took " + (System.nanoTime() - start) / 1_000_000 + " ms");
            assertEquals(replica, promoted);
            assertNotEquals(old, d.master());
            assertEquals("v", promoted.command("GET", "k"));
            assertEquals("OK", promoted.command("SET", "k", "w"), "the promoted replica takes writes");
        }
        assertFalse(Files.exists(sentinelDir), "close() deletes the sentinels' directories");
    }

    @Test
    void aFailoverAskedForPromotesTheReplicaWhileTheOldMasterStaysUp() {
        try (RedisSentinelDeployment d = RedisSentinelDeployment.start()) {
            RedisServer replica = d.dataServers().get(1);
            RedisServer old = d.failover();
            assertEquals(replica, d.awaitPromotion(old, Duration.ofSeconds(20)));
            assertTrue(old.isRunning(), "the old master was not killed");
        }
    }
}
