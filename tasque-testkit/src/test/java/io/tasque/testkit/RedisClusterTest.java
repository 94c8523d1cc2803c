package io.tasque.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedisClusterTest {

    @Test
    void formsAClusterOfThreeMastersWithReplicasAndPromotesAReplicaWhenAMasterIsKilledAndTheKilledNodeRejoinsAsItsReplica() throws InterruptedException {
        try (RedisCluster cluster = RedisCluster.start()) {
            assertEquals(6, cluster.nodes().size());
            assertTrue(cluster.uri().startsWith("redis-cluster://127.0.0.1:"), cluster.uri());
            for (RedisServer node : cluster.nodes()) {
                assertNotEquals(6379, node.port());
                assertTrue(node.command("CLUSTER", "INFO").contains("cluster_slots_assigned:16384"));
            }
            Set<Integer> masterPorts = new HashSet<>();
            for (int slot : new int[] {0, 8000, 16383}) {
                masterPorts.add(cluster.masterOf(slot).port());
            }
            assertEquals(3, masterPorts.size(), "each third of the slots has its own master");
            assertEquals(cluster.slotOf("{a}:x"), cluster.slotOf("a"), "a hash tag picks the slot");

            int slot = cluster.slotOf("a");
            RedisServer master = cluster.masterOf(slot);
            master.command("SET", "{a}:kept", "1");
            // each command() is a connection of its own, so a WAIT here would not wait for this SET: wait instead until
            // the master reports a replica that has acknowledged its replication offset after the write
            long written = field(master.command("INFO", "replication"), "master_repl_offset");
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            while (ackedByAReplica(master.command("INFO", "replication")) < written) {
                assertTrue(System.nanoTime() < deadline, "no replica acknowledged the write within 10 s");
                Thread.sleep(10);
            }
            RedisServer killed = cluster.killMasterOf(slot);

            assertFalse(killed.isRunning());
            RedisServer promoted = cluster.masterOf(slot);
            assertNotEquals(killed.port(), promoted.port());
            assertEquals("1", promoted.command("GET", "{a}:kept"), "the replica had the write WAIT confirmed");
            assertTrue(promoted.command("CLUSTER", "INFO").contains("cluster_state:ok"));

            cluster.rejoin(killed);
            assertTrue(killed.command("ROLE").startsWith("slave"), killed.command("ROLE"));
            assertEquals(promoted.port(), cluster.masterOf(slot).port(), "the promoted replica stays master");
            assertTrue(killed.command("INFO", "replication").contains("master_port:" + promoted.port()), "it replicates its new master");
        }
    }

    @Test
    void aKeyOnAnotherMastersSlotIsRedirected() {
        try (RedisCluster cluster = RedisCluster.start()) {
            int slot = cluster.slotOf("b");
            RedisServer other = cluster.masterOf((slot + RedisCluster.SLOTS / 2) % RedisCluster.SLOTS);
            IllegalStateException moved = assertThrows(IllegalStateException.class, () -> other.command("SET", "b", "1"));
            assertTrue(moved.getMessage().contains("MOVED " + slot), moved.getMessage());
        }
    }

    @Test
    void startsTheGivenNumberOfMastersWithoutReplicasEachOwningItsShareOfTheSlots() {
        try (RedisCluster cluster = RedisCluster.start(2, 0)) {
            assertEquals(2, cluster.nodes().size());
            assertEquals(cluster.nodes(), cluster.masters());
            RedisServer first = cluster.masters().get(0);
            RedisServer second = cluster.masters().get(1);
            assertEquals(first.port(), cluster.masterOf(0).port());
            assertEquals(first.port(), cluster.masterOf(8191).port());
            assertEquals(second.port(), cluster.masterOf(8192).port());
            assertEquals(second.port(), cluster.masterOf(16383).port());
            for (RedisServer node : cluster.nodes()) {
                assertTrue(node.command("ROLE").startsWith("master"), node.command("ROLE"));
                assertTrue(node.command("CLUSTER", "INFO").contains("cluster_state:ok"));
            }
        }
        try (RedisCluster single = RedisCluster.start(1, 0)) {
            assertEquals(1, single.masters().size());
            assertEquals(single.masters().get(0).port(), single.masterOf(16383).port());
        }
    }

    @Test
    void refusesAMasterCountOrReplicaCountItCannotStart() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> RedisCluster.start(0, 0));
        assertEquals("masters must be between 1 and 16, was 0", none.getMessage());
        IllegalArgumentException three = assertThrows(IllegalArgumentException.class, () -> RedisCluster.start(3, 3));
        assertEquals("replicasEach must be between 0 and 2, was 3", three.getMessage());
        IllegalArgumentException noReplica = assertThrows(IllegalArgumentException.class, () -> RedisCluster.start(0));
        assertTrue(noReplica.getMessage().contains("replicasPerMaster must be >= 1"), noReplica.getMessage());
    }

    /** A numeric field of an INFO reply. */
    private static long field(String info, String name) {
        return info.lines().filter(l -> l.startsWith(name + ":")).mapToLong(l -> Long.parseLong(l.substring(name.length() + 1).strip()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + info));
    }

    /** The highest offset a replica has acknowledged, from a master's INFO replication ({@code slaveN:…,offset=N,…}). */
    private static long ackedByAReplica(String info) {
        return info.lines().filter(l -> l.startsWith("slave") && l.contains("offset="))
                .mapToLong(l -> Long.parseLong(l.replaceAll(".*offset=(\\d+).*", "$1").strip())).max().orElse(-1);
    }
}
