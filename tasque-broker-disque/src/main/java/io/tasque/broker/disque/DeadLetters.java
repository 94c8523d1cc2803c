package io.tasque.broker.disque;

import io.tasque.broker.BrokerException;
import io.tasque.broker.DeadJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;

/**
 * The dead letter Disque lacks: per task a queue {@code __tasque_dead__<name>} that no worker fetches from,
 * each entry the job's payload with its run count, last error and time of death in the body. Listing reads
 * every reachable node; retry and delete find the entry by its id on any node and acknowledge it cluster-wide.
 */
final class DeadLetters {

    /** Disque job ids: {@code D-}, 8 hex digits, 24 base64 characters, 4 hex digits (40 characters). */
    private static final Pattern JOB_ID = Pattern.compile("D-[0-9a-f]{8}-[A-Za-z0-9+/]{24}-[0-9a-f]{4}");

    private final String broker;
    private final DisqueNodes nodes;
    private final AddJobs adds;
    private final boolean fastAck;

    DeadLetters(String broker, DisqueNodes nodes, AddJobs adds, boolean fastAck) {
        this.broker = broker;
        this.nodes = nodes;
        this.adds = adds;
        this.fastAck = fastAck;
    }

    /** Acknowledges the oldest dead jobs of {@code task} on this node beyond {@code max}. */
    void trim(Jedis jedis, String task, int max) {
        long over = JobCommands.qlen(jedis, QueueNames.dead(task)) - max;
        if (over > 0) {
            JobCommands.ack(jedis, fastAck, JobCommands.oldestIds(jedis, QueueNames.dead(task), over).toArray(new String[0]));
        }
    }

    List<DeadJob> list(String task, int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must be >= 0, were " + offset + " and " + limit);
        }
        if (limit == 0) {
            return List.of();
        }
        Map<String, JobInfo> entries = new LinkedHashMap<>();
        Set<String> acked = new HashSet<>();
        int answered = 0;
        BrokerException last = null;
        for (DisqueNode node : nodes.all()) {
            try {
                nodes.callOn(node, "deadJobs", jedis -> {
                    for (JobInfo job : JobCommands.scan(jedis, QueueNames.dead(task))) {
                        if (job.acked()) {
                            acked.add(job.id());
                        } else {
                            entries.putIfAbsent(job.id(), job);
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
            throw last != null ? last : new BrokerException(broker, "deadJobs failed: no Disque node answered", null);
        }
        entries.keySet().removeAll(acked);
        List<DeadJob> all = new ArrayList<>(entries.size());
        for (JobInfo job : entries.values()) {
            JobBody.Parts parts = JobBody.split(job.body() == null ? new byte[0] : job.body());
            long died = parts.meta().diedAtMillis() != 0 ? parts.meta().diedAtMillis() : job.ctimeMillis();
            all.add(new DeadJob(task, job.id(), job.body() == null ? null : parts.payload(), parts.meta().attempts(),
                    parts.meta().lastError(), Instant.ofEpochMilli(died)));
        }
        all.sort(Comparator.comparing(DeadJob::diedAt).thenComparing(DeadJob::id));
        if (offset >= all.size()) {
            return List.of();
        }
        return List.copyOf(all.subList(offset, (int) Math.min(all.size(), (long) offset + limit)));
    }

    /**
     * Sends a dead job back to its queue to run from attempt 1, with {@code payload} instead of its stored one
     * when given (its Disque TTL then follows the new payload's expiry); returns the revived job's new id, or null
     * if there is no such dead job.
     */
    String revive(String task, String id, byte[] newPayload) {
        Found found = locate(task, id);
        if (found == null) {
            return null;
        }
        if (newPayload == null && found.job.body() == null) {
            throw new IllegalStateException("dead job " + task + "/" + id + " has no payload, so it cannot run again; delete it");
        }
        byte[] payload = newPayload != null ? newPayload : JobBody.split(found.job.body()).payload();
        String newId = nodes.call("retryDead", jedis -> JobCommands.add(jedis, adds.revival(task, payload)));
        nodes.callOn(found.node, "retryDead", jedis -> JobCommands.ack(jedis, fastAck, id));
        return newId;
    }

    /** One dead job, as {@link #list} shows it, or null if there is none with that id. */
    DeadJob find(String task, String id) {
        Found found = locate(task, id);
        if (found == null) {
            return null;
        }
        JobInfo job = found.job;
        JobBody.Parts parts = JobBody.split(job.body() == null ? new byte[0] : job.body());
        long died = parts.meta().diedAtMillis() != 0 ? parts.meta().diedAtMillis() : job.ctimeMillis();
        return new DeadJob(task, job.id(), job.body() == null ? null : parts.payload(), parts.meta().attempts(),
                parts.meta().lastError(), Instant.ofEpochMilli(died));
    }

    /** Deletes a dead job for good; false if there is no such dead job. */
    boolean delete(String task, String id) {
        Found found = locate(task, id);
        if (found == null) {
            return false;
        }
        nodes.callOn(found.node, "deleteDead", jedis -> JobCommands.ack(jedis, fastAck, id));
        return true;
    }

    private record Found(DisqueNode node, JobInfo job) {
    }

    private Found locate(String task, String id) {
        if (id == null || !JOB_ID.matcher(id).matches()) {
            return null;
        }
        String queue = QueueNames.dead(task);
        BrokerException last = null;
        Found found = null;
        int answered = 0;
        for (DisqueNode node : nodes.all()) {
            try {
                JobInfo job = nodes.callOn(node, "find dead job", jedis -> JobCommands.show(jedis, id));
                answered++;
                if (job != null && job.acked()) {
                    return null;
                }
                if (found == null && job != null && queue.equals(job.queue())) {
                    found = new Found(node, job);
                }
            } catch (BrokerException e) {
                last = e;
            }
        }
        if (answered == 0 && last != null) {
            throw last;
        }
        return found;
    }
}
