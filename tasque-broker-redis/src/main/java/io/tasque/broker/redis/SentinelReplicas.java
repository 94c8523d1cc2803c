package io.tasque.broker.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The replicas of a Sentinel-monitored master, for {@link ReplicaReads}: {@code SENTINEL REPLICAS <name>} on the
 * first sentinel that answers, keeping only the replicas it reports up (no {@code s_down}, {@code o_down} or
 * {@code disconnected} flag) and linked to their master ({@code master-link-status ok}, so that a replica cut off
 * from its master, whose counts would only grow staler, is not read). Each replica gets a small pool of its own,
 * with the master's connection settings (credentials, database, TLS).
 */
final class SentinelReplicas extends ReplicaReads {

    /** The whole slot space: a Sentinel deployment is one shard. */
    private static final List<int[]> EVERY_SLOT = List.<int[]>of(new int[] {0, 16383});
    private static final int POOL_SIZE = 2;

    private final String masterName;
    private final Set<HostAndPort> sentinels;
    private final JedisClientConfig sentinelConfig;
    private final JedisClientConfig dataConfig;
    private final JedisPoolConfig poolConfig;
    private final Map<HostAndPort, JedisPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param dataConfig how to connect to the master and its replicas
     * @param poolConfig the broker's pool settings; each replica's pool is capped at {@value #POOL_SIZE} of them
     */
    SentinelReplicas(String broker, String masterName, Set<HostAndPort> sentinels, JedisClientConfig sentinelConfig,
                     JedisClientConfig dataConfig, JedisPoolConfig poolConfig) {
        super(broker);
        this.masterName = masterName;
        this.sentinels = Set.copyOf(sentinels);
        this.sentinelConfig = sentinelConfig;
        this.dataConfig = dataConfig;
        JedisPoolConfig small = new JedisPoolConfig();
        small.setMaxTotal(Math.min(POOL_SIZE, poolConfig.getMaxTotal()));
        small.setMaxIdle(Math.min(POOL_SIZE, poolConfig.getMaxTotal()));
        small.setMinIdle(0);
        small.setMaxWait(poolConfig.getMaxWaitDuration());
        small.setTestOnBorrow(false);
        small.setJmxEnabled(false);
        this.poolConfig = small;
    }

    @Override
    List<Shard> learnShards() {
        JedisException last = new JedisConnectionException("no sentinel listed");
        for (HostAndPort sentinel : sentinels) {
            try (Jedis jedis = new Jedis(sentinel, sentinelConfig)) {
                return List.of(new Shard(EVERY_SLOT, upReplicas(jedis.sentinelReplicas(masterName))));
            } catch (JedisException e) {
                last = e;
            }
        }
        throw last;
    }

    /** The replicas of a {@code SENTINEL REPLICAS} reply that are up and linked to their master. */
    static List<HostAndPort> upReplicas(List<Map<String, String>> reply) {
        List<HostAndPort> up = new ArrayList<>();
        for (Map<String, String> r : reply) {
            String flags = r.getOrDefault("flags", "");
            if (flags.contains("s_down") || flags.contains("o_down") || flags.contains("disconnected")
                    || !"ok".equals(r.get("master-link-status")) || r.get("ip") == null || r.get("port") == null) {
                continue;
            }
            up.add(new HostAndPort(r.get("ip"), Integer.parseInt(r.get("port"))));
        }
        return up;
    }

    @Override
    Jedis connect(HostAndPort replica) {
        if (closed) {
            throw new IllegalStateException("the broker is closed");
        }
        return pools.computeIfAbsent(replica, r -> new JedisPool(poolConfig, r, dataConfig)).getResource();
    }

    @Override
    public void close() {
        closed = true;
        for (JedisPool p : pools.values()) {
            try {
                p.close();
            } catch (RuntimeException ignored) {
                // a pool of a dead replica may fail to close its connections; they are gone either way
            }
        }
        pools.clear();
    }
}
