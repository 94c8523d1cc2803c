package io.tasque.broker.redis;

import io.tasque.broker.BrokerUri;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The masters of a Redis Cluster, found by slot: Jedis's cluster slot map and its connection pool per node, learnt
 * from the seed nodes on first use (so a broker opens while the cluster is down, as a single-node one does) and
 * learnt again after a redirection ({@code MOVED}) or a connection failure, which is how a failover is noticed.
 * During a slot migration a call follows the cluster's {@code ASK} and {@code TRYAGAIN} answers without changing
 * the map ({@link SlotRoute}).
 */
final class ClusterSlots implements AutoCloseable {

    private final Set<HostAndPort> seeds;
    private final JedisClientConfig config;
    private final GenericObjectPoolConfig<Connection> poolConfig;
    private ClusterConnectionProvider provider;
    private boolean closed;

    ClusterSlots(List<BrokerUri.Node> seeds, JedisClientConfig config, GenericObjectPoolConfig<Connection> poolConfig) {
        this.seeds = new LinkedHashSet<>();
        for (BrokerUri.Node node : seeds) {
            this.seeds.add(new HostAndPort(node.host(), node.port()));
        }
        this.config = config;
        this.poolConfig = poolConfig;
    }

    /** The slot of a key; every key of a queue has the queue's slot (its hash tag). */
    static int slot(byte[] key) {
        return JedisClusterCRC16.getSlot(key);
    }

    /** A pooled connection to the master serving {@code slot}; closing the {@link Jedis} gives it back. */
    Jedis master(int slot) {
        return new Jedis(provider().getConnectionFromSlot(slot));
    }

    /** The address of the master serving {@code slot}, for a connection of one's own (a blocking wait). */
    HostAndPort masterAddress(int slot) {
        ClusterConnectionProvider p = provider();
        HostAndPort node = p.getNode(slot);
        if (node == null) {
            p.renewSlotCache();
            node = p.getNode(slot);
        }
        if (node == null) {
            throw new JedisConnectionException("no master serves slot " + slot + " (seeds " + seeds + ")");
        }
        return node;
    }

    /** A pooled connection to {@code node}. */
    Jedis node(HostAndPort node) {
        return new Jedis(provider().getConnection(node));
    }

    /** One pool per master known now, to visit every master (a SCAN of all keys). */
    List<ConnectionPool> masters() {
        return new ArrayList<>(provider().getPrimaryNodes().values());
    }

    /** Learns the slot map again; a failure (every node it asks is down) is left for the next call to meet. */
    void refresh() {
        ClusterConnectionProvider p;
        synchronized (this) {
            p = provider;
        }
        if (p == null) {
            return;
        }
        try {
            p.renewSlotCache();
        } catch (RuntimeException ignored) {
            // the cluster is mid-failover or down; the next call fails (or succeeds) on its own
        }
    }

    /**
     * Learns the slot map again from {@code node}, the node a {@code MOVED} named: it knows it serves the slot, where
     * any other node may not have heard yet (right after a reshard hands the slot over). Falls back to {@link
     * #refresh()} if that node does not answer.
     */
    void refresh(HostAndPort node) {
        ClusterConnectionProvider p;
        synchronized (this) {
            p = provider;
        }
        if (p == null) {
            return;
        }
        try (Connection c = p.getConnection(node)) {
            p.renewSlotCache(c);
        } catch (RuntimeException unreachable) {
            refresh();
        }
    }

    private synchronized ClusterConnectionProvider provider() {
        if (closed) {
            throw new IllegalStateException("the cluster broker for " + seeds + " is closed");
        }
        if (provider == null) {
            try {
                provider = new ClusterConnectionProvider(seeds, config, poolConfig);
            } catch (JedisException e) {
                throw withSeedFailure(e);
            }
        }
        return provider;
    }

    /**
     * Jedis reports seeds that all failed only as "Could not initialize cluster slots cache", without why. Asks
     * the seeds once more, one connection each, and makes the first one's failure the cause: an untrusted TLS
     * certificate or a wrong password is then told as such, not as an outage.
     */
    private JedisException withSeedFailure(JedisException e) {
        for (HostAndPort seed : seeds) {
            try (Connection probe = new Connection(seed, config)) {
                probe.ping();
            } catch (JedisException seedFailure) {
                return new JedisConnectionException(e.getMessage() + " (seed " + seed + ": " + seedFailure.getMessage() + ")",
                        seedFailure);
            }
        }
        return e;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (provider != null) {
            provider.close();
            provider = null;
        }
    }
}
