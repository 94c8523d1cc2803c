package io.tasque.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotMoveTest {

    private static final int KEYS = 12;

    @Test
    void aSlotMovesWithItsKeysToAnotherMasterAndBackWhileHalfMovedItAnswersAskAndTryAgain() {
        try (RedisCluster cluster = RedisCluster.start()) {
            int slot = cluster.slotOf("{m}");
            RedisServer source = cluster.masterOf(slot);
            for (int i = 0; i < KEYS; i++) {
                source.command("SET", "{m}:k" + i, "v" + i);
            }
            source.command("RPUSH", "{m}:list", "a", "b");
            RedisServer target = cluster.anotherMasterThanThatOf(slot);
            assertNotSame(source, target);

            SlotMove move = cluster.beginSlotMove(slot, target);
            assertTrue(source.command("CLUSTER", "NODES").contains("[" + slot + "->-"), "the source is MIGRATING");
            assertTrue(target.command("CLUSTER", "NODES").contains("[" + slot + "-<-"), "the target is IMPORTING");
            assertEquals(3, move.migrateBatch(3));
            List<String> left = move.keysLeft(100);
            assertEquals(KEYS + 1 - 3, left.size(), "three keys left the source: " + left);
            String gone = firstMoved(left);

            IllegalStateException ask = assertThrows(IllegalStateException.class, () -> source.command("GET", gone));
            assertTrue(ask.getMessage().contains("ASK " + slot + " " + target.host() + ":" + target.port()), ask.getMessage());
            IllegalStateException tryAgain = assertThrows(IllegalStateException.class,
                    () -> source.command("MGET", gone, left.get(0)));
            assertTrue(tryAgain.getMessage().contains("TRYAGAIN"), tryAgain.getMessage());
            IllegalStateException notYet = assertThrows(IllegalStateException.class, () -> target.command("GET", gone),
                    "without ASKING the target sends the client back to the source");
            assertTrue(notYet.getMessage().contains("MOVED " + slot + " " + source.host() + ":" + source.port()), notYet.getMessage());
            assertSame(source, cluster.masterOf(slot), "the slot is the source's until the move finishes");

            move.migrateAll(2, Duration.ofMillis(5));
            move.finish();
            assertSame(target, cluster.masterOf(slot));
            assertEquals(KEYS + 1, move.moved());
            for (int i = 0; i < KEYS; i++) {
                assertEquals("v" + i, target.command("GET", "{m}:k" + i));
            }
            assertEquals("a\nb", target.command("LRANGE", "{m}:list", "0", "-1"));
            IllegalStateException moved = assertThrows(IllegalStateException.class, () -> source.command("GET", "{m}:k0"));
            assertTrue(moved.getMessage().contains("MOVED " + slot), moved.getMessage());

            assertEquals(KEYS + 1, cluster.moveSlot(slot, source, 5, Duration.ZERO));
            assertSame(source, cluster.masterOf(slot), "moved back");
            assertEquals("v7", source.command("GET", "{m}:k7"));
            for (RedisServer node : cluster.nodes()) {
                assertTrue(node.command("CLUSTER", "INFO").contains("cluster_state:ok"), node + " is ok");
            }
        }
    }

    @Test
    void aMoveToTheSlotsOwnMasterOrBeforeTheKeysLeftIsRefused() {
        try (RedisCluster cluster = RedisCluster.start()) {
            int slot = cluster.slotOf("{n}");
            RedisServer owner = cluster.masterOf(slot);
            IllegalArgumentException same = assertThrows(IllegalArgumentException.class, () -> cluster.beginSlotMove(slot, owner));
            assertTrue(same.getMessage().contains("served by"), same.getMessage());

            owner.command("SET", "{n}:x", "1");
            SlotMove move = cluster.beginSlotMove(slot, cluster.anotherMasterThanThatOf(slot));
            IllegalStateException early = assertThrows(IllegalStateException.class, move::finish);
            assertTrue(early.getMessage().contains("{n}:x"), early.getMessage());
            move.migrateAll(1, Duration.ZERO);
            move.finish();
            assertSame(move.target(), cluster.masterOf(slot));
        }
    }

    /** A key of the slot no longer in {@code left}. */
    private static String firstMoved(List<String> left) {
        for (int i = 0; i < KEYS; i++) {
            if (!left.contains("{m}:k" + i)) {
                return "{m}:k" + i;
            }
        }
        throw new AssertionError("no {m}:k<i> key left the source; still there: " + left);
    }
}
