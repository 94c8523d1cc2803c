package io.tasque.broker.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.KeyValue;

/**
 * On a Redis Cluster, an idle wait over queues of several slots (different queues, or the partitions of one): one
 * {@code BLPOP} per slot at the same time, each on a wait connection of its own to that slot's master and on a thread
 * of its own. The first to be woken ends the wait and the others are cut short with {@code CLIENT UNBLOCK}. A job in
 * any of the slots so wakes an idle worker at once, and an idle worker sends one {@code BLPOP} per slot per wait.
 * At most {@link #MAX_SLOTS} slots; the broker waits on more in turns.
 */
final class ParallelWait implements AutoCloseable {

    /** The most slots waited on at once (one connection and one thread each). */
    static final int MAX_SLOTS = 16;

    /** Why a wait ended. */
    enum Woken { BY_WORK, TIMED_OUT, INTERRUPTED }

    /** One slot's wait, with the broker's handling of its failures around {@code blocker}. */
    interface SlotWait {
        Woken await(int slot, Blocker blocker);
    }

    /** Blocks on wake keys on one line. */
    interface Blocker {
        Woken block(byte[][] wakeKeys, Duration timeout);
    }

    /** A wait connection to the master of one slot. */
    private final class Line implements Blocker {
        final int slot;
        Jedis jedis;
        HostAndPort address;
        long id;
        volatile boolean blocking;

        Line(int slot) {
            this.slot = slot;
        }

        @Override
        public Woken block(byte[][] wakeKeys, Duration timeout) {
            try {
                HostAndPort master = masterOf.apply(slot);
                if (jedis != null && !master.equals(address)) {
                    closeConnection(); // the slot has a new master (a failover or a finished migration)
                }
                if (jedis == null) {
                    jedis = new Jedis(master, config);
                    address = master;
                    id = jedis.clientId();
                }
                blocking = true;
                if (cutShort) {
                    return Woken.TIMED_OUT;
                }
                KeyValue<byte[], byte[]> got = jedis.blpop(Math.max(0.001, timeout.toMillis() / 1000.0), wakeKeys);
                return got != null ? Woken.BY_WORK : Woken.TIMED_OUT;
            } catch (JedisException e) {
                closeConnection();
                throw e;
            } finally {
                blocking = false;
            }
        }

        void closeConnection() {
            if (jedis != null) {
                try {
                    jedis.close();
                } catch (RuntimeException ignored) {
                    // already broken
                }
                jedis = null;
            }
        }
    }

    private final Function<Integer, HostAndPort> masterOf;
    private final Function<HostAndPort, Jedis> pooled;
    private final JedisClientConfig config;
    private final ExecutorService threads;
    private final Map<Integer, Line> lines = new ConcurrentHashMap<>();
    private volatile List<Line> active = List.of();
    private volatile boolean cutShort;

    /**
     * @param masterOf the address of a slot's master now
     * @param pooled   a pooled connection to a node, for {@code CLIENT UNBLOCK}
     * @param config   the blocking connections' settings (their socket timeout covers the longest wait)
     */
    ParallelWait(Function<Integer, HostAndPort> masterOf, Function<HostAndPort, Jedis> pooled, JedisClientConfig config) {
        this.masterOf = masterOf;
        this.pooled = pooled;
        this.config = config;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tasque-wait-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Readies the next {@link #await}: a {@link #cutShort()} from now on ends it, even one made before it blocks. */
    void prepare() {
        cutShort = false;
    }

    /**
     * Waits on every slot of {@code slots} at once, each through {@code perSlot}, until one is woken, all time out,
     * or {@link #cutShort()} (since {@link #prepare()}). Only one thread waits at a time (the worker's fetcher).
     *
     * @return BY_WORK if any slot was woken, INTERRUPTED if one slot's wait says so (the others are then cut short),
     *         else TIMED_OUT; a failure of one slot is thrown once the others have ended, unless another was woken
     */
    Woken await(List<Integer> slots, SlotWait perSlot) {
        List<Line> waiting = new ArrayList<>(slots.size());
        for (int slot : slots) {
            waiting.add(lines.computeIfAbsent(slot, Line::new));
        }
        active = waiting;
        CompletionService<Woken> done = new ExecutorCompletionService<>(threads);
        List<Future<Woken>> started = new ArrayList<>(waiting.size());
        boolean interrupted = false;
        Woken result = Woken.TIMED_OUT;
        RuntimeException failure = null;
        try {
            for (Line line : waiting) {
                started.add(done.submit(() -> perSlot.await(line.slot, line)));
            }
            for (int ended = 0; ended < started.size(); ended++) {
                Future<Woken> f;
                try {
                    f = done.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                    cutShort();
                    ended--; // every line still ends, and is counted
                    continue;
                }
                try {
                    Woken w = f.get();
                    if (w == Woken.BY_WORK || (w == Woken.INTERRUPTED && result == Woken.TIMED_OUT)) {
                        result = w;
                    }
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (failure == null) {
                        failure = cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
                    }
                } catch (InterruptedException e) {
                    interrupted = true; // f is done: get() does not block
                }
                if (result != Woken.TIMED_OUT || failure != null) {
                    cutShort();
                }
            }
        } finally {
            active = List.of();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null && result == Woken.TIMED_OUT) {
            throw failure;
        }
        return result;
    }

    /** Ends the wait going on, if any: every line still blocked is unblocked ({@code CLIENT UNBLOCK}). Any thread. */
    void cutShort() {
        cutShort = true;
        for (Line line : active) {
            HostAndPort node = line.address;
            ClientUnblock.until(() -> pooled.apply(node), line.id, () -> line.blocking);
        }
    }

    @Override
    public void close() {
        cutShort();
        threads.shutdownNow();
        for (Line line : lines.values()) {
            line.closeConnection();
        }
    }
}
