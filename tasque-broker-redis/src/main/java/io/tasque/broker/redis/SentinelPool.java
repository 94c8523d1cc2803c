package io.tasque.broker.redis;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.Pool;

/**
 * The connections of a {@code redis-sentinel://} broker: a Jedis {@link JedisSentinelPool} to the master the
 * sentinels name, made on first use rather than at open (that pool asks the sentinels in its constructor, and an
 * open must not fail on an outage). The sentinel pool follows every promotion the sentinels announce; this class
 * logs each move of the master once. Connections borrowed here go back to the sentinel pool when closed.
 */
final class SentinelPool extends Pool<Jedis> {

    private static final Logger LOG = LoggerFactory.getLogger(SentinelPool.class);

    private final String broker;
    private final String masterName;
    private final Set<HostAndPort> sentinels;
    private final JedisPoolConfig poolConfig;
    private final JedisClientConfig masterConfig;
    private final JedisClientConfig sentinelConfig;
    private final AtomicReference<HostAndPort> lastMaster = new AtomicReference<>();
    private final Object openLock = new Object();
    private volatile ListeningPool pool;
    private volatile boolean closed;

    /**
     * @param broker         the broker's URI without credentials, for the log
     * @param masterName     the name the sentinels monitor the master under
     * @param masterConfig   how to connect to the master (its credentials, database and timeouts)
     * @param sentinelConfig how to connect to the sentinels
     */
    SentinelPool(String broker, String masterName, Set<HostAndPort> sentinels, JedisPoolConfig poolConfig,
                 JedisClientConfig masterConfig, JedisClientConfig sentinelConfig) {
        super(new NoConnections(), poolConfig);
        this.broker = broker;
        this.masterName = masterName;
        this.sentinels = new LinkedHashSet<>(sentinels);
        this.poolConfig = poolConfig;
        this.masterConfig = masterConfig;
        this.sentinelConfig = sentinelConfig;
    }

    /** A connection to the current master. */
    @Override
    public Jedis getResource() {
        ListeningPool p = pool();
        noteMaster(p.getCurrentHostMaster());
        return p.getResource();
    }

    /** Where the sentinels last said the master is. */
    HostAndPort master() {
        HostAndPort now = pool().getCurrentHostMaster();
        noteMaster(now);
        return now;
    }

    /** Closes the idle connections. */
    @Override
    public void clear() {
        ListeningPool p = pool;
        if (p != null) {
            p.clear();
        }
    }

    @Override
    public void close() {
        synchronized (openLock) {
            closed = true;
            if (pool != null) {
                pool.closeAndEndListeners();
            }
        }
        super.close();
    }

    private ListeningPool pool() {
        ListeningPool p = pool;
        if (p != null) {
            return p;
        }
        synchronized (openLock) {
            if (closed) {
                throw new JedisException("the broker " + broker + " is closed");
            }
            if (pool == null) {
                try {
                    pool = openOnDaemonThread();
                } catch (JedisException e) {
                    // reachable sentinels that do not know the master: worth waiting out like an outage, since a
                    // sentinel that just started may not have learnt it yet
                    throw withSentinelFailure(e);
                }
            }
            return pool;
        }
    }

    /**
     * Makes the sentinel pool on a daemon thread. The pool starts a listener thread per sentinel, and a thread
     * is a daemon when the thread that makes it is one: so a client or worker that is never closed does not keep
     * its JVM from exiting, as with {@code redis://}, whose pool starts no threads.
     */
    private ListeningPool openOnDaemonThread() {
        FutureTask<ListeningPool> open = new FutureTask<>(
                () -> new ListeningPool(masterName, sentinels, poolConfig, masterConfig, sentinelConfig));
        Thread opener = new Thread(open, "tasque-sentinel-open");
        opener.setDaemon(true);
        opener.start();
        try {
            return open.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new JedisException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JedisConnectionException("interrupted while asking the sentinels of " + broker + " for the master", e);
        }
    }

    /**
     * Jedis reports sentinels that all failed only as "All sentinels down", without why. Asks the first sentinel
     * once more (one connection, so an outage costs at most one more connect timeout) and makes its failure the
     * cause: an untrusted TLS certificate is then told as such (a refusal), not as an outage. A sentinel that
     * answers leaves the failure as it was.
     */
    private JedisConnectionException withSentinelFailure(JedisException e) {
        HostAndPort first = sentinels.iterator().next();
        try (Jedis probe = new Jedis(first, sentinelConfig)) {
            probe.ping();
        } catch (JedisException sentinelFailure) {
            return new JedisConnectionException(e.getMessage() + " (sentinel " + first + ": "
                    + sentinelFailure.getMessage() + ")", sentinelFailure);
        }
        return e instanceof JedisConnectionException c ? c : new JedisConnectionException(e.getMessage(), e);
    }

    /** Logs a move of the master, once: only the caller that swaps the old address for the new one logs it. */
    private void noteMaster(HostAndPort now) {
        HostAndPort before = lastMaster.get();
        if (now != null && !now.equals(before) && lastMaster.compareAndSet(before, now) && before != null) {
            LOG.warn("{}: master {} moved from {} to {}", broker, masterName, before, now);
        }
    }

    /**
     * Jedis's sentinel pool, with a close that makes sure its listener threads end. A listener that had not yet
     * connected to its sentinel when the pool was closed misses the shutdown, then subscribes and waits forever
     * (a race known to Jedis, redis/jedis#1819); shutting it down again once it has connected ends it.
     */
    private static final class ListeningPool extends JedisSentinelPool {

        private static final Duration LISTENERS_END_PATIENCE = Duration.ofSeconds(2);
        private static final long JOIN_MILLIS = 20;

        ListeningPool(String masterName, Set<HostAndPort> sentinels, JedisPoolConfig poolConfig,
                      JedisClientConfig masterConfig, JedisClientConfig sentinelConfig) {
            super(masterName, sentinels, poolConfig, masterConfig, sentinelConfig);
        }

        void closeAndEndListeners() {
            close();
            long deadline = System.nanoTime() + LISTENERS_END_PATIENCE.toNanos();
            for (MasterListener listener : masterListeners) {
                while (listener.isAlive() && System.nanoTime() - deadline < 0) {
                    listener.shutdown();
                    try {
                        listener.join(JOIN_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** The factory of the unused pool this class inherits from: every connection comes from the sentinel pool. */
    private static final class NoConnections extends BasePooledObjectFactory<Jedis> {
        @Override
        public Jedis create() {
            throw new UnsupportedOperationException("connections come from the sentinel pool");
        }

        @Override
        public PooledObject<Jedis> wrap(Jedis jedis) {
            return new DefaultPooledObject<>(jedis);
        }
    }
}
