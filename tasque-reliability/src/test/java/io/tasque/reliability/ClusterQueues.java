package io.tasque.reliability;

import io.tasque.client.DeadTask;
import io.tasque.client.QueueCounts;
import io.tasque.client.TasqueAdmin;
import io.tasque.testkit.RedisCluster;
import io.tasque.testkit.RedisServer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The queues (task names) of the Redis Cluster scenarios, and the accounting of jobs spread over them. Every key of a
 * queue hashes to the slot of its name ({@code tasque:{<queue>}:…}), so the queue lives on whichever master serves
 * that slot; {@link #NAMES} are chosen so that every one of the three masters serves at least one of them, which
 * {@link #mastersOf(RedisCluster)} lets a scenario check before it relies on it.
 */
final class ClusterQueues {

    /** Five queues whose slots are served by all three masters of a {@link RedisCluster}. */
    static final List<String> NAMES = List.of("a", "b", "c", "d", "e");

    private static final int DEAD_PAGE = 10_000;

    private ClusterQueues() {
    }

    /** The slot of {@code queue}'s keys. */
    static int slotOf(RedisCluster cluster, String queue) {
        return cluster.slotOf("tasque:{" + queue + "}:ready");
    }

    /** Each of {@link #NAMES} with the node that serves its slot now. */
    static Map<String, RedisServer> mastersOf(RedisCluster cluster) {
        Map<String, RedisServer> out = new LinkedHashMap<>();
        for (String q : NAMES) {
            out.put(q, cluster.masterOf(slotOf(cluster, q)));
        }
        return out;
    }

    /** The queues of {@link #NAMES} that {@code master} serves now. */
    static List<String> servedBy(RedisCluster cluster, RedisServer master) {
        return mastersOf(cluster).entrySet().stream().filter(e -> e.getValue() == master).map(Map.Entry::getKey).toList();
    }

    /**
     * Waits (at most {@code atMost}) until every queue of {@link #NAMES} is drained (nothing ready, delayed or leased)
     * and every submitted job is accounted for; then counts, taking the dead letters of all the queues. On timeout it
     * counts anyway, so the line shows what was lost.
     */
    static Accounting settle(String scenario, Collection<String> ids, Supplier<Map<String, Integer>> runs, TasqueAdmin admin,
                             Duration atMost) {
        return settle(scenario, NAMES, ids, runs, admin, atMost);
    }

    /** {@link #settle(String, Collection, Supplier, TasqueAdmin, Duration)} over the given queues. */
    static Accounting settle(String scenario, List<String> queues, Collection<String> ids, Supplier<Map<String, Integer>> runs,
                             TasqueAdmin admin, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline && !drained(queues, admin)) {
            pause(Duration.ofMillis(250));
        }
        Accounting a = Accounting.of(scenario, ids, runs.get(), deadIds(queues, admin));
        while (a.lost() > 0 && System.nanoTime() < deadline) {
            pause(Duration.ofSeconds(1));
            a = Accounting.of(scenario, ids, runs.get(), deadIds(queues, admin));
        }
        return a;
    }

    private static boolean drained(List<String> queues, TasqueAdmin admin) {
        for (String q : queues) {
            QueueCounts s = admin.stats(q);
            if (s.ready() != 0 || s.delayed() != 0 || s.running() != 0) {
                return false;
            }
        }
        return true;
    }

    /** The ids in the dead letters of every queue of {@link #NAMES}. */
    static Set<String> deadIds(TasqueAdmin admin) {
        return deadIds(NAMES, admin);
    }

    private static Set<String> deadIds(List<String> queues, TasqueAdmin admin) {
        Set<String> out = new HashSet<>();
        for (String q : queues) {
            for (int offset = 0; ; offset += DEAD_PAGE) {
                List<DeadTask> page = admin.deadTasks(q, offset, DEAD_PAGE);
                page.forEach(d -> out.add(d.id()));
                if (page.size() < DEAD_PAGE) {
                    break;
                }
            }
        }
        return out;
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while settling", e);
        }
    }
}
