package io.tasque.broker.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Reads that may go to a replica, for {@code ?statsFrom=replica}: the counts of {@code stats} and the names of
 * {@code queues}, where a replica a little behind its master does no harm (a count is stale the moment it is
 * read anyway). Nothing that moves a job, and no read that decides what to move, ever comes here.
 *
 * <p>The replicas of each shard (a master and the slots it serves) are learnt from the deployment, Redis Cluster
 * ({@link ClusterReplicas}) or Sentinel ({@link SentinelReplicas}), and kept for {@link #TOPOLOGY_TTL}. A read goes to
 * one of the shard's replicas; a replica that fails it (unreachable, timed out, loading, cut off from its master,
 * redirecting) is passed over for {@link #PASS_OVER} and the read tries the next one, then the master: a read from a
 * replica is never worse than one from the master, only slower by the failed attempt.
 */
abstract class ReplicaReads implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaReads.class);

    /** How long a learnt list of replicas is used before it is learnt again. */
    static final Duration TOPOLOGY_TTL = Duration.ofSeconds(5);
    /** How long a replica that failed a read is passed over, so that a dead one does not slow every read. */
    static final Duration PASS_OVER = Duration.ofSeconds(5);

    /** One master's slots and the replicas that may answer for them, as {@code [from, to]} slot pairs. */
    record Shard(List<int[]> slotRanges, List<HostAndPort> replicas) {
        boolean serves(int slot) {
            for (int[] r : slotRanges) {
                if (slot >= r[0] && slot <= r[1]) {
                    return true;
                }
            }
            return false;
        }

        /** A slot of this shard, to reach its master through the broker's own routing. */
        int anySlot() {
            return slotRanges.get(0)[0];
        }
    }

    private record Topology(List<Shard> shards, long learntAtNanos) {
    }

    private final String broker;
    private final Map<HostAndPort, Long> failedAtNanos = new ConcurrentHashMap<>();
    private volatile Topology topology;

    /** @param broker the broker's URI without credentials, for the log */
    ReplicaReads(String broker) {
        this.broker = broker;
    }

    /**
     * Every shard with the replicas that may be read now.
     *
     * @throws JedisException when the deployment cannot be asked; the reads then go to the masters
     */
    abstract List<Shard> learnShards();

    /** A connection to {@code replica}, ready for reads (on a cluster: after {@code READONLY}). */
    abstract Jedis connect(HostAndPort replica);

    /** Runs {@code body} on a replica of the master serving {@code slot}; {@code onMaster} if none answers. */
    <T> T read(int slot, Function<Jedis, T> body, Supplier<T> onMaster) {
        for (Shard shard : shards()) {
            if (shard.serves(slot)) {
                Answer<T> a = onAReplica(shard, body);
                if (a != null) {
                    return a.value();
                }
                break;
            }
        }
        return onMaster.get();
    }

    /**
     * Runs {@code body} once per shard, each on one of its replicas, or on its master through
     * {@code onMaster.apply(a slot of the shard)} when none answers.
     *
     * @return the answers, or null when the shards could not be learnt (the caller then reads every master)
     */
    <T> List<T> readEachShard(Function<Jedis, T> body, IntFunction<T> onMaster) {
        List<Shard> shards = shards();
        if (shards.isEmpty()) {
            return null;
        }
        List<T> out = new ArrayList<>(shards.size());
        for (Shard shard : shards) {
            Answer<T> a = onAReplica(shard, body);
            out.add(a != null ? a.value() : onMaster.apply(shard.anySlot()));
        }
        return out;
    }

    private record Answer<T>(T value) {
    }

    /** The body's answer on the first of the shard's replicas (from a random one on) that gives one, or null. */
    private <T> Answer<T> onAReplica(Shard shard, Function<Jedis, T> body) {
        List<HostAndPort> replicas = shard.replicas();
        int n = replicas.size();
        int start = n < 2 ? 0 : ThreadLocalRandom.current().nextInt(n);
        for (int i = 0; i < n; i++) {
            HostAndPort replica = replicas.get((start + i) % n);
            if (passedOver(replica)) {
                continue;
            }
            try (Jedis jedis = connect(replica)) {
                return new Answer<>(body.apply(jedis));
            } catch (JedisException | IllegalStateException e) {
                failedAtNanos.put(replica, System.nanoTime());
                topology = null; // the replica may have left or moved: learn the replicas again on the next read
                LOG.warn("{}: read from replica {} failed ({}); reading elsewhere, and not from it for {} s", broker,
                        replica, e.getMessage(), PASS_OVER.toSeconds());
            }
        }
        return null;
    }

    private boolean passedOver(HostAndPort replica) {
        Long failed = failedAtNanos.get(replica);
        if (failed == null) {
            return false;
        }
        if (System.nanoTime() - failed < PASS_OVER.toNanos()) {
            return true;
        }
        failedAtNanos.remove(replica, failed);
        return false;
    }

    /** The shards as last learnt, learnt again when older than {@link #TOPOLOGY_TTL}; none if they cannot be. */
    private List<Shard> shards() {
        Topology t = topology;
        long now = System.nanoTime();
        if (t != null && now - t.learntAtNanos() < TOPOLOGY_TTL.toNanos()) {
            return t.shards();
        }
        List<Shard> shards;
        try {
            shards = List.copyOf(learnShards());
        } catch (JedisException | IllegalStateException e) {
            LOG.warn("{}: cannot learn the replicas to read stats from ({}); reading from the master(s)", broker,
                    e.getMessage());
            shards = List.of();
        }
        topology = new Topology(shards, now);
        return shards;
    }

    /** Closes what the reads opened themselves; connections borrowed from the broker's pools are not. */
    @Override
    public void close() {
    }
}
