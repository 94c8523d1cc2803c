package io.tasque.broker.disque;

import io.tasque.broker.BrokerException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Finds where a worker's queues hold jobs across the cluster, so the worker fetches them there instead of waiting
 * for Disque's federation to move them to its own node (which takes 4 to 30 s, see ARCHITECTURE). Asks QLEN of every
 * queue on every other live node, one pipelined round trip per node, at most every {@link #EVERY} (and again when a
 * node it saw jobs on runs dry); between asks it answers from what it last saw. While jobs keep turning up elsewhere
 * an idle wait looks around more often ({@link #lookAround}). A node that fails to answer counts
 * as empty (and is marked down by {@link DisqueNodes}).
 */
final class QueueScout {

    /** Longest the lengths are trusted before they are asked again. */
    static final Duration EVERY = Duration.ofMillis(100);
    /** How long after jobs were last found on another node an idle wait keeps looking around every {@link #EVERY}. */
    static final Duration KEEN_FOR = Duration.ofSeconds(5);

    private final DisqueNodes nodes;
    private final Object lock = new Object();
    private Set<String> queues = Set.of();
    private final Map<String, Long> jobsAt = new HashMap<>();
    private long askedAt;
    private volatile long foundAt = System.nanoTime() - KEEN_FOR.toNanos();

    QueueScout(DisqueNodes nodes) {
        this.nodes = nodes;
    }

    /**
     * The node other than {@code not} with the most queued jobs of {@code queues} (Disque queue names), or null when
     * none has any, or the cluster has one node. Asks the nodes again when the last answer is older than
     * {@link #EVERY} or was for other queues.
     */
    DisqueNode busiest(Set<String> queues, DisqueNode not) {
        List<DisqueNode> all = nodes.all();
        if (all.size() < 2) {
            return null;
        }
        synchronized (lock) {
            if (!queues.equals(this.queues) || System.nanoTime() - askedAt >= EVERY.toNanos()) {
                ask(all, not, queues);
            }
            DisqueNode best = null;
            long most = 0;
            for (DisqueNode n : all) {
                long jobs = jobsAt.getOrDefault(n.addressKey(), 0L);
                if (!n.addressKey().equals(not.addressKey()) && jobs > most) {
                    best = n;
                    most = jobs;
                }
            }
            if (best != null) {
                foundAt = System.nanoTime();
            }
            return best;
        }
    }

    /**
     * How long an idle wait may block on its node before looking around again: {@link #EVERY} while jobs keep
     * turning up on other nodes (found within {@link #KEEN_FOR}), else {@code idle}, which keeps an idle worker cheap.
     */
    Duration lookAround(Duration idle) {
        return System.nanoTime() - foundAt < KEEN_FOR.toNanos() ? EVERY : idle;
    }

    /**
     * A fetch on {@code node} came back short: it has no more jobs of these queues. If the last ask saw jobs there,
     * the next {@link #busiest} asks again at once: Disque's federation moves jobs between nodes while they are
     * fetched, so what is left may now be on another node.
     */
    void drained(DisqueNode node) {
        synchronized (lock) {
            Long had = jobsAt.remove(node.addressKey());
            if (had != null && had > 0) {
                askedAt = System.nanoTime() - EVERY.toNanos();
            }
        }
    }

    private void ask(List<DisqueNode> all, DisqueNode not, Set<String> asked) {
        jobsAt.clear();
        for (DisqueNode n : all) {
            if (n.addressKey().equals(not.addressKey())) {
                continue;
            }
            try {
                jobsAt.put(n.addressKey(), nodes.callOn(n, "queue lengths", jedis -> {
                    Pipeline p = jedis.pipelined();
                    List<Response<Object>> lengths = asked.stream().map(q -> p.sendCommand(DisqueCommand.QLEN, q)).toList();
                    p.sync();
                    long sum = 0;
                    for (Response<Object> r : lengths) {
                        sum += Replies.num(r.get());
                    }
                    return sum;
                }));
            } catch (BrokerException e) {
                // a node that does not answer has no jobs to give; DisqueNodes logged the failure and passes it over
            }
        }
        this.queues = Set.copyOf(asked);
        this.askedAt = System.nanoTime();
    }
}
