package io.tasque.broker.disque;

import io.tasque.broker.BrokerException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The blocking half of fetching. Disque has no "wake me when there is work" apart from a blocking GETJOB, which
 * also takes the job, so this waits in {@code GETJOB TIMEOUT … COUNT 1 WITHCOUNTERS} on a connection of its own
 * (to the broker's current node) and keeps what arrives for the next reserve. {@link #interrupt()} cuts a wait
 * short from any thread by closing that connection's socket; Disque then forgets the blocked client. The
 * connection can open its socket only once: Jedis would otherwise quietly reconnect a closed socket and block
 * again when an interrupt lands just before the GETJOB is sent. Each kept job remembers the node it came from:
 * a blocking GETJOB makes Disque's federation move jobs to that node, so only that node can hand them back.
 */
final class JobWaiter {

    private final String broker;
    private final DisqueNodes nodes;
    private final JedisClientConfig config;
    private final Object lock = new Object();
    private final Deque<Kept> kept = new ArrayDeque<>();
    private Jedis connection;
    private DisqueNode connectedTo;
    private boolean interrupted;
    private boolean blocking;

    /** @param config connection settings; its socket timeout must exceed the longest wait */
    JobWaiter(String broker, DisqueNodes nodes, JedisClientConfig config) {
        this.broker = broker;
        this.nodes = nodes;
        this.config = config;
    }

    /**
     * Blocks at most {@code block} for a job of {@code queues} (Disque queue names) and keeps it.
     *
     * @return {@link Woken#JOB} if a job is kept for the next reserve, else why the wait ended
     */
    Woken await(List<String> queues, Duration block) {
        Jedis jedis;
        DisqueNode node;
        synchronized (lock) {
            if (interrupted) {
                interrupted = false;
                return Woken.INTERRUPTED;
            }
            if (!kept.isEmpty()) {
                return Woken.JOB;
            }
            node = nodes.current();
            if (connection == null || !node.equals(connectedTo)) {
                closeQuietly(connection);
                connection = null;
                try {
                    // connect now, so that interrupt() always has a socket to close
                    Jedis fresh = new Jedis(new OneSocket(new DefaultJedisSocketFactory(node.address(), config)), config);
                    fresh.getConnection().connect();
                    connection = fresh;
                    connectedTo = node;
                } catch (JedisConnectionException e) {
                    nodes.failed(node, e);
                    throw new BrokerException(broker, "wait for work failed on " + node + ": " + DisqueErrors.explain(e), e);
                }
            }
            jedis = connection;
            blocking = true;
        }
        List<String> args = new ArrayList<>(queues.size() + 7);
        args.addAll(List.of("TIMEOUT", Long.toString(Math.max(1, block.toMillis())), "COUNT", "1", "WITHCOUNTERS", "FROM"));
        args.addAll(queues);
        try {
            List<FetchedJob> got = FetchedJob.parseAll(jedis.sendCommand(DisqueCommand.GETJOB, args.toArray(new String[0])));
            synchronized (lock) {
                blocking = false;
                for (FetchedJob job : got) {
                    kept.add(new Kept(node, job));
                }
                if (interrupted) {
                    interrupted = false;
                    return Woken.INTERRUPTED;
                }
                return got.isEmpty() ? Woken.TIMEOUT : Woken.JOB;
            }
        } catch (JedisException e) {
            synchronized (lock) {
                blocking = false;
                closeQuietly(connection);
                connection = null;
                if (interrupted) {
                    interrupted = false;
                    return Woken.INTERRUPTED;
                }
            }
            if (e instanceof JedisConnectionException ce) {
                nodes.failed(node, ce);
            }
            throw new BrokerException(broker, "wait for work failed on " + node + ": " + DisqueErrors.explain(e), e);
        }
    }

    /** True if a wait fetched a job that no reserve has taken yet. */
    boolean holdsJobs() {
        synchronized (lock) {
            return !kept.isEmpty();
        }
    }

    /** Makes a blocked (or the next) {@link #await} return false at once. */
    void interrupt() {
        synchronized (lock) {
            interrupted = true;
            if (blocking && connection != null) {
                try {
                    connection.getConnection().forceDisconnect();
                } catch (IOException | RuntimeException ignored) {
                    // the socket is closed either way; the blocked read fails and sees the flag
                }
            }
        }
    }

    /** Hands out up to {@code max} kept jobs of {@code queues}, oldest first, each with the node it came from. */
    List<Kept> take(Set<String> queues, int max) {
        synchronized (lock) {
            List<Kept> out = new ArrayList<>();
            Iterator<Kept> it = kept.iterator();
            while (it.hasNext() && out.size() < max) {
                Kept k = it.next();
                if (queues.contains(k.job().queue())) {
                    out.add(k);
                    it.remove();
                }
            }
            return out;
        }
    }

    /**
     * Closes the connection and returns the jobs still kept, by the node each came from (in the order they
     * arrived), for the caller to hand back to that node.
     */
    Map<DisqueNode, List<FetchedJob>> close() {
        synchronized (lock) {
            interrupted = true;
            closeQuietly(connection);
            connection = null;
            Map<String, DisqueNode> nodeAt = new LinkedHashMap<>();
            Map<DisqueNode, List<FetchedJob>> left = new LinkedHashMap<>();
            for (Kept k : kept) {
                DisqueNode node = nodeAt.computeIfAbsent(k.node().addressKey(), a -> k.node());
                left.computeIfAbsent(node, n -> new ArrayList<>()).add(k.job());
            }
            kept.clear();
            return left;
        }
    }

    /** How a wait ended. */
    enum Woken {
        /** A job arrived (or one was already kept). */
        JOB,
        /** The block ran out with no job. */
        TIMEOUT,
        /** {@link #interrupt()} cut it short. */
        INTERRUPTED
    }

    /** A job a wait fetched, and the node it fetched it from. */
    record Kept(DisqueNode node, FetchedJob job) {
    }

    /** Opens one socket; asked again (Jedis reconnecting after an interrupt), it refuses. */
    private static final class OneSocket implements JedisSocketFactory {
        private final JedisSocketFactory sockets;
        private final AtomicBoolean used = new AtomicBoolean();

        OneSocket(JedisSocketFactory sockets) {
            this.sockets = sockets;
        }

        @Override
        public java.net.Socket createSocket() {
            if (!used.compareAndSet(false, true)) {
                throw new JedisConnectionException("the waiting connection was closed (interrupted or broken)");
            }
            return sockets.createSocket();
        }
    }

    private static void closeQuietly(Jedis jedis) {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // already broken; nothing to release
            }
        }
    }
}
