package io.tasque.broker.disque;

import io.tasque.broker.BrokerException;
import io.tasque.broker.QueueStats;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counts a queue's jobs by state across every reachable node, and lists the queues tasque uses. Disque keeps
 * no per-state counters and a job has a copy on several nodes (queued on one, {@code active} on the others), so
 * this scans the jobs of the queue on each node (JSCAN) and counts each id once: not at all if any copy is
 * acknowledged (the others hear of it a moment later), ready if any copy is queued, delayed if it waits for its
 * first DELAY, in flight otherwise. Meant for the admin view, not for hot paths.
 */
final class QueueCensus {

    private final String broker;
    private final DisqueNodes nodes;
    private final Clock clock;

    QueueCensus(String broker, DisqueNodes nodes, Clock clock) {
        this.broker = broker;
        this.nodes = nodes;
        this.clock = clock;
    }

    QueueStats stats(String task) {
        Map<String, JobInfo> live = new HashMap<>();
        Set<String> queued = new HashSet<>();
        Set<String> acked = new HashSet<>();
        Map<String, JobInfo> dead = new HashMap<>();
        int answered = 0;
        BrokerException last = null;
        for (DisqueNode node : nodes.all()) {
            try {
                nodes.callOn(node, "stats", jedis -> {
                    for (JobInfo job : JobCommands.scan(jedis, QueueNames.live(task))) {
                        live.putIfAbsent(job.id(), job);
                        if (job.acked()) {
                            acked.add(job.id());
                        } else if (job.queued() || "wait-repl".equals(job.state())) {
                            queued.add(job.id());
                        }
                    }
                    for (JobInfo job : JobCommands.scan(jedis, QueueNames.dead(task))) {
                        dead.putIfAbsent(job.id(), job);
                        if (job.acked()) {
                            acked.add(job.id());
                        }
                    }
                    return null;
                });
                answered++;
            } catch (BrokerException e) {
                last = e;
            }
        }
        if (answered == 0) {
            throw last != null ? last : new BrokerException(broker, "stats failed: no Disque node answered", null);
        }
        long now = clock.millis();
        long ready = 0;
        long delayed = 0;
        long inFlight = 0;
        for (JobInfo job : live.values()) {
            if (acked.contains(job.id())) {
                continue;
            }
            if (queued.contains(job.id())) {
                ready++;
            } else if (job.delayedAt(now)) {
                delayed++;
            } else {
                inFlight++;
            }
        }
        dead.keySet().removeAll(acked);
        return new QueueStats(task, ready, delayed, inFlight, dead.size());
    }

    /** Task names whose live or dead-letter queue holds a job on some node. */
    List<String> queues() {
        Set<String> candidates = new TreeSet<>();
        Set<String> holding = new TreeSet<>();
        int answered = 0;
        BrokerException last = null;
        for (DisqueNode node : nodes.all()) {
            try {
                nodes.callOn(node, "queues", jedis -> {
                    for (String q : JobCommands.queueNames(jedis)) {
                        String task = QueueNames.taskOf(q);
                        if (task == null) {
                            continue;
                        }
                        candidates.add(task);
                        if (JobCommands.qlen(jedis, q) > 0) {
                            holding.add(task);
                        }
                    }
                    return null;
                });
                answered++;
            } catch (BrokerException e) {
                last = e;
            }
        }
        if (answered == 0) {
            throw last != null ? last : new BrokerException(broker, "queues failed: no Disque node answered", null);
        }
        for (String task : candidates) {
            if (!holding.contains(task)) {
                QueueStats s = stats(task);
                if (s.ready() + s.delayed() + s.inFlight() + s.dead() > 0) {
                    holding.add(task);
                }
            }
        }
        return List.copyOf(holding);
    }
}
