package io.tasque.broker.redis;

import io.tasque.broker.BrokerException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * The partition counts of the queues, as stored in {@code <prefix>:partitions} (a hash: queue → {@code "k high
 * changedAt"}), cached in the process and read again every {@link #REFRESH}.
 *
 * <p>Partition {@code p} of queue {@code q} is stored as the queue {@code q#p}, and partition 0 as {@code q} itself, so
 * a queue that was never split keeps the key layout it always had and raising K moves no job. New jobs go to
 * partitions {@code 0..k-1}; workers fetch from {@code 0..high-1}, where {@code high} is the largest K not yet known
 * to be drained. After K is lowered, {@link #shrinkable} tells the janitor when the partitions above K may be dropped
 * from the fetch: once they are empty and K changed more than {@link #SHRINK_GRACE} ago. A store never uses a count
 * read more than {@link #MAX_STALE} ago (it reads the table again, or fails), so no producer can still be writing to a
 * dropped partition: the grace is ten times that.
 */
final class PartitionTable {

    private static final Logger log = LoggerFactory.getLogger(PartitionTable.class);

    /** How often each process reads the table again: the longest a change of K takes to reach every process. */
    static final Duration REFRESH = Duration.ofSeconds(5);
    /** The oldest count a store may spread jobs by, when the table cannot be read again. */
    static final Duration MAX_STALE = Duration.ofSeconds(30);
    /** How long after K was lowered the partitions above it may be dropped from the fetch, once empty. */
    static final Duration SHRINK_GRACE = Duration.ofMinutes(5);

    private static final LuaScript PARTITION = LuaScript.load("partition");

    /** One queue's record. {@code raw} is the stored text, which a shrink compares against. */
    record Entry(int k, int high, long changedAt, String raw) {

        static final Entry SINGLE = new Entry(1, 1, 0, null);

        static Entry parse(String raw) {
            String[] parts = raw.split(" ");
            if (parts.length != 3) {
                throw new IllegalStateException("partition record '" + raw + "' is not 'k high changedAt'");
            }
            int k = Integer.parseInt(parts[0]);
            return new Entry(k, Math.max(k, Integer.parseInt(parts[1])), Long.parseLong(parts[2]), raw);
        }
    }

    /** What the table held when last read: the records, and whether any queue is split at all. */
    record Snapshot(Map<String, Entry> entries, boolean anySplit) {

        static final Snapshot EMPTY = new Snapshot(Map.of(), false);

        Entry entry(String queue) {
            return entries.getOrDefault(queue, Entry.SINGLE);
        }
    }

    /** Runs a call on the server of a slot, the way the broker runs all its calls. */
    interface Calls {
        <T> T call(String what, int slot, Function<Jedis, T> body);
    }

    private final byte[] key;
    private final int slot;
    private final Calls calls;
    private final LongSupplier nanos;
    private final ReentrantLock loading = new ReentrantLock();
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile long loadedAt;
    private volatile boolean loaded;
    private boolean warned;

    PartitionTable(String prefix, int slot, Calls calls, LongSupplier nanos) {
        this.key = Keys.bytes(prefix + ":partitions");
        this.slot = slot;
        this.calls = calls;
        this.nanos = nanos;
    }

    /** The key of the table, for the docs and tests. */
    byte[] key() {
        return key;
    }

    /** The slot of the table's key (on a cluster). */
    int slot() {
        return slot;
    }

    /**
     * The table for spreading new jobs: read again if older than {@link #REFRESH}; if that fails, the old one while it
     * is younger than {@link #MAX_STALE}, else the failure is thrown.
     */
    Snapshot forStore(String what) {
        return current(true, what);
    }

    /** The table for fetching: read again if older than {@link #REFRESH}; if that fails, the old one (fetching more partitions than needed is harmless). */
    Snapshot forFetch(String what) {
        return current(false, what);
    }

    /** {@code what} names the caller's operation in a failure, as the table is read on its behalf. */
    private Snapshot current(boolean forStore, String what) {
        long age = nanos.getAsLong() - loadedAt;
        if (loaded && age < REFRESH.toNanos()) {
            return snapshot;
        }
        boolean mustHave = !loaded || (forStore && age >= MAX_STALE.toNanos());
        if (mustHave) {
            loading.lock();
        } else if (!loading.tryLock()) {
            return snapshot; // another thread is reading it; this one goes on with what there is
        }
        try {
            if (loaded && nanos.getAsLong() - loadedAt < REFRESH.toNanos()) {
                return snapshot;
            }
            try {
                load(what);
            } catch (BrokerException e) {
                if (mustHave) {
                    throw e;
                }
                if (!warned) {
                    warned = true;
                    log.warn("partition counts could not be read again, going on with the ones read {} s ago: {}",
                            Duration.ofNanos(age).toSeconds(), e.getMessage());
                }
            }
            return snapshot;
        } finally {
            loading.unlock();
        }
    }

    /** Reads the whole table now. */
    void load(String what) {
        Map<byte[], byte[]> raw = calls.call(what, slot, jedis -> jedis.hgetAll(key));
        Map<String, Entry> entries = new HashMap<>();
        boolean anySplit = false;
        for (Map.Entry<byte[], byte[]> e : raw.entrySet()) {
            Entry entry;
            String queue = str(e.getKey());
            try {
                entry = Entry.parse(str(e.getValue()));
            } catch (RuntimeException bad) {
                log.warn("partition record of queue '{}' ({}) is '{}', which is not 'k high changedAt'; the queue is"
                        + " taken as not split until it is set again", queue, str(key), str(e.getValue()));
                continue;
            }
            entries.put(queue, entry);
            anySplit |= entry.high() > 1;
        }
        snapshot = new Snapshot(Map.copyOf(entries), anySplit);
        loadedAt = nanos.getAsLong();
        loaded = true;
        warned = false;
    }

    /** One queue's record as stored now (not cached). */
    Entry read(String queue) {
        byte[] raw = calls.call("partitions", slot, jedis -> jedis.hget(key, Keys.bytes(queue)));
        return raw == null ? Entry.SINGLE : Entry.parse(str(raw));
    }

    /** Stores K for {@code queue}, keeping {@code high} at least the old one; returns the K it had before. */
    int set(String queue, int k, long nowMillis) {
        Object old = calls.call("partitions", slot, jedis -> PARTITION.eval(jedis, List.of(key),
                List.of(Keys.bytes(queue), Keys.bytes("set"), Keys.bytes(Integer.toString(k)), Keys.bytes(Long.toString(nowMillis)))));
        load("partitions");
        return old == null ? 1 : Entry.parse(str((byte[]) old)).k();
    }

    /** True when the partitions of {@code entry} above its K may be dropped from the fetch, if they are empty. */
    static boolean shrinkable(Entry entry, long nowMillis) {
        return entry.high() > entry.k() && nowMillis - entry.changedAt() >= SHRINK_GRACE.toMillis();
    }

    /** Lowers {@code high} to K if the record is still {@code seen}; true if it did. */
    boolean shrink(String queue, Entry seen) {
        Object r = calls.call("partitions", slot, jedis -> PARTITION.eval(jedis, List.of(key),
                List.of(Keys.bytes(queue), Keys.bytes("shrink"), Keys.bytes(seen.raw()))));
        boolean shrunk = ((Long) r) == 1L;
        if (shrunk) {
            log.info("queue '{}': partitions {}..{} are empty and no longer fetched from", queue, seen.k(), seen.high() - 1);
            load("housekeep");
        }
        return shrunk;
    }

    /** The queue name partition {@code p} of {@code queue} is stored under: the queue itself for partition 0. */
    static String partition(String queue, int p) {
        return p == 0 ? queue : queue + '#' + p;
    }

    /** Where {@code stored} (a name from {@link #partition}) begins its partition suffix, or -1 if it has none. */
    private static int suffix(String stored) {
        int hash = stored.lastIndexOf('#');
        // at most 4 digits: partitions are numbered below Partitioning.MAX_PARTITIONS
        if (hash <= 0 || hash == stored.length() - 1 || stored.length() - hash - 1 > 4) {
            return -1;
        }
        for (int i = hash + 1; i < stored.length(); i++) {
            char c = stored.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return hash;
    }

    /** The queue a stored name belongs to: {@code q} for {@code q#p}, else the name itself. */
    static String queueOf(String stored) {
        int s = suffix(stored);
        return s < 0 ? stored : stored.substring(0, s);
    }

    /** The partition a stored name is: {@code p} for {@code q#p}, else 0. */
    static int partitionOf(String stored) {
        int s = suffix(stored);
        return s < 0 ? 0 : Integer.parseInt(stored.substring(s + 1));
    }

    /** True if {@code name} reads as a partition of another queue ({@code q#p}), which a task name must not. */
    static boolean namesPartition(String name) {
        return suffix(name) > 0;
    }

    private static String str(byte[] bytes) {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}
