package io.tasque.broker.memory;

import io.tasque.broker.Broker;
import io.tasque.broker.Cancelling;
import io.tasque.broker.AckingReserve;
import io.tasque.broker.Housekeeper;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.DeadJob;
import io.tasque.broker.Delivery;
import io.tasque.broker.Housekeeping;
import io.tasque.broker.JobCounters;
import io.tasque.broker.JobLookup;
import io.tasque.broker.JobTotals;
import io.tasque.broker.StoredJob;
import io.tasque.broker.OutgoingJob;
import io.tasque.broker.QueueStats;
import io.tasque.broker.Reservation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A broker that keeps its queues in the memory of this JVM, for unit tests that should run without Redis:
 * {@code memory://<name>}. It follows the Redis broker's rules (a job's attempt is its runs over + 1 and fences
 * its lease, leases run out at their deadline and are reclaimed by {@link #housekeep}, which counts the expiry;
 * delayed jobs, the capped dead letter, retryDead with a new payload) and reads every time from
 * {@link BrokerOptions#clock()}, so a test moves time by hand.
 *
 * <p>Single-process and not durable: brokers opened with the same name (and key prefix) in one JVM share one
 * store, so a {@code TasqueClient} and a {@code Worker} built from the same URI see the same queues, but nothing
 * is seen by another process or survives the JVM. A store lives until {@link #discard(String)} or the JVM ends;
 * closing a broker does not empty it. Every operation takes one lock; {@link #awaitWork} waits on a condition.
 */
public final class MemoryBroker implements Broker, AckingReserve, Housekeeper, JobLookup, Cancelling, JobCounters {

    /** Most delayed jobs (and, in housekeeping, expired leases) moved per queue by one call, as the Redis broker does. */
    static final int MOVE_LIMIT = 1000;

    /** How long a cancelled job's record is kept, as on Redis. */
    static final long CANCELLED_KEPT_MILLIS = Duration.ofHours(24).toMillis();

    private static final Map<String, Store> STORES = new ConcurrentHashMap<>();

    private final String name;
    private final String describe;
    private final BrokerOptions options;
    private final Store store;
    private final AtomicInteger turn = new AtomicInteger();
    /** Guarded by the store's lock: an {@link #interruptWait()} not yet seen by a wait. */
    private boolean waitInterrupted;
    private volatile boolean closed;

    /** Opens the store {@code uri} names ({@code memory://<name>}), creating it if it does not exist yet. */
    public MemoryBroker(BrokerUri uri, BrokerOptions options) {
        if (!"memory".equals(uri.scheme())) {
            throw new IllegalArgumentException("broker URI '" + uri + "' is not a memory:// URI");
        }
        this.name = uri.name();
        this.describe = uri.toString();
        this.options = options;
        this.store = STORES.computeIfAbsent(storeKey(name, options.keyPrefix()), k -> new Store());
    }

    /**
     * Drops every store of this name, with all its jobs; brokers still open on it keep the old store. Returns
     * whether there was one.
     */
    public static boolean discard(String name) {
        return STORES.keySet().removeIf(k -> k.startsWith(name + "\n"));
    }

    private static String storeKey(String name, String prefix) {
        return name + "\n" + prefix;
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public void ping() {
        checkOpen("ping");
    }

    @Override
    public List<String> enqueue(List<OutgoingJob> jobs) {
        checkOpen("enqueue");
        List<String> ids = new ArrayList<>(jobs.size());
        store.lock.lock();
        try {
            boolean woke = false;
            for (OutgoingJob job : jobs) {
                ids.add(job.id());
                Queue q = store.queue(job.queue());
                if (q.jobs.containsKey(job.id()) || (q.done.contains(job.id()) && q.done.score(job.id()) > now())) {
                    continue;
                }
                q.done.remove(job.id());
                q.cancelled.remove(job.id());
                Job stored = new Job(job.payload().clone());
                stored.uniqueFor = job.uniqueForMillis();
                q.jobs.put(job.id(), stored);
                if (job.dueAtMillis() > 0) {
                    q.delayed.put(job.id(), job.dueAtMillis());
                } else {
                    q.ready.addLast(job.id());
                }
                // a delayed job wakes a worker too, so an idle one learns the new earliest due time
                q.wake = true;
                woke = true;
            }
            if (woke) {
                store.work.signalAll();
            }
        } finally {
            store.lock.unlock();
        }
        return ids;
    }

    @Override
    public Reservation reserve(List<String> queues, int max, Duration lease) {
        return reserve(queues, max, lease, List.of());
    }

    @Override
    public Reservation reserve(List<String> queues, int max, Duration lease, List<Delivery> acks) {
        checkOpen("reserve");
        if (queues.isEmpty() && acks.isEmpty()) {
            return new Reservation(List.of(), -1);
        }
        store.lock.lock();
        try {
            boolean[] acked = ackLocked(acks);
            long now = now();
            long deadline = now + lease.toMillis();
            int want = Math.max(0, max);
            long nextDue = -1;
            List<Delivery> out = new ArrayList<>();
            int start = queues.isEmpty() ? 0 : Math.floorMod(turn.getAndIncrement(), queues.size());
            for (int n = 0; n < queues.size(); n++) {
                String name = queues.get((start + n) % queues.size());
                Queue q = store.queues.get(name);
                if (q == null) {
                    continue;
                }
                List<String> due = q.delayed.due(now, MOVE_LIMIT);
                for (String id : due) {
                    q.delayed.remove(id);
                }
                // the head of ready first, then due delayed jobs (as if those were pushed first and popped after)
                List<String> ids = new ArrayList<>();
                while (ids.size() < want && !q.ready.isEmpty()) {
                    ids.add(q.ready.pollFirst());
                }
                int fromDue = 0;
                while (ids.size() < want && fromDue < due.size()) {
                    ids.add(due.get(fromDue++));
                }
                for (int i = fromDue; i < due.size(); i++) {
                    q.ready.addLast(due.get(i));
                }
                for (String id : ids) {
                    Job job = q.jobs.get(id);
                    q.leased.put(id, deadline);
                    out.add(new Delivery(name, id, job.runsOver + 1, job.payload == null ? null : job.payload.clone(), job.expiries));
                }
                want -= ids.size();
                if (q.ready.isEmpty()) {
                    q.wake = false;
                }
                long first = q.delayed.firstScore();
                if (first >= 0 && (nextDue < 0 || first < nextDue)) {
                    nextDue = first;
                }
            }
            return new Reservation(out, nextDue, acked);
        } finally {
            store.lock.unlock();
        }
    }

    /** Blocks on the store's condition until a wake token of one of {@code queues} is there (and takes it). */
    @Override
    public boolean awaitWork(List<String> queues, Duration timeout) {
        if (queues.isEmpty() || timeout.isNegative() || timeout.isZero()) {
            return false;
        }
        long end = System.nanoTime() + timeout.toNanos();
        store.lock.lock();
        try {
            while (true) {
                if (waitInterrupted || closed) {
                    waitInterrupted = false;
                    return false;
                }
                for (String name : queues) {
                    Queue q = store.queues.get(name);
                    if (q != null && q.wake) {
                        q.wake = false;
                        return true;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                store.work.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            store.lock.unlock();
        }
    }

    @Override
    public void interruptWait() {
        store.lock.lock();
        try {
            waitInterrupted = true;
            store.work.signalAll();
        } finally {
            store.lock.unlock();
        }
    }

    @Override
    public boolean[] ack(List<Delivery> deliveries) {
        return locked("ack", () -> {
            return ackLocked(deliveries);
        });
    }

    private boolean[] ackLocked(List<Delivery> deliveries) {
        boolean[] acked = new boolean[deliveries.size()];
        for (int i = 0; i < acked.length; i++) {
            Delivery d = deliveries.get(i);
            Queue q = store.queues.get(d.queue());
            if (q != null && q.endLease(d) && !q.settledCancelled(d.id())) {
                Job job = q.jobs.remove(d.id());
                if (job.uniqueFor > 0) {
                    q.done.put(d.id(), now() + job.uniqueFor);
                }
                q.completed++;
                acked[i] = true;
            }
        }
        return acked;
    }

    @Override
    public boolean retry(Delivery d, long dueAtMillis, String error) {
        return locked("retry", () -> {
            Queue q = store.queues.get(d.queue());
            if (q == null || !q.endLease(d) || q.settledCancelled(d.id())) {
                return false;
            }
            Job job = q.jobs.get(d.id());
            job.runsOver = d.attempt();
            job.error = error;
            q.failed++;
            q.delayed.put(d.id(), dueAtMillis);
            wake(q);
            return true;
        });
    }

    @Override
    public boolean bury(Delivery d, String reason) {
        return locked("bury", () -> {
            Queue q = store.queues.get(d.queue());
            if (q == null || !q.endLease(d) || q.settledCancelled(d.id())) {
                return false;
            }
            Job job = q.jobs.get(d.id());
            job.runsOver = d.attempt();
            job.error = reason;
            q.failed++;
            q.dead.put(d.id(), now());
            while (q.dead.size() > options.maxDeadPerQueue()) {
                q.jobs.remove(q.dead.removeFirst());
            }
            return true;
        });
    }

    @Override
    public boolean release(Delivery d) {
        return locked("release", () -> {
            Queue q = store.queues.get(d.queue());
            if (q == null || !q.endLease(d) || q.settledCancelled(d.id())) {
                return false;
            }
            q.ready.addFirst(d.id());
            wake(q);
            return true;
        });
    }

    @Override
    public boolean[] extend(List<Delivery> deliveries, Duration lease) {
        return locked("extend", () -> {
            long deadline = now() + lease.toMillis();
            boolean[] held = new boolean[deliveries.size()];
            for (int i = 0; i < held.length; i++) {
                Delivery d = deliveries.get(i);
                Queue q = store.queues.get(d.queue());
                if (q != null && q.holds(d)) {
                    q.leased.put(d.id(), deadline);
                    held[i] = true;
                }
            }
            return held;
        });
    }

    @Override
    public Housekeeping housekeep(List<String> queues) {
        return locked("housekeep", () -> {
            long now = now();
            long promoted = 0;
            long reclaimed = 0;
            for (String name : queues) {
                Queue q = store.queues.get(name);
                if (q == null) {
                    continue;
                }
                for (String over : q.done.due(now, MOVE_LIMIT)) {
                    q.done.remove(over);
                }
                for (String old : q.cancelled.due(now - CANCELLED_KEPT_MILLIS, MOVE_LIMIT)) {
                    q.cancelled.remove(old);
                }
                List<String> due = q.delayed.due(now, MOVE_LIMIT);
                List<String> lost = q.leased.due(now, MOVE_LIMIT);
                for (String id : due) {
                    q.delayed.remove(id);
                    q.ready.addLast(id);
                }
                for (String id : lost) {
                    q.leased.remove(id);
                    if (q.settledCancelled(id)) {
                        continue;
                    }
                    Job job = q.jobs.get(id);
                    job.expiries++;
                    job.runsOver++;
                    q.ready.addLast(id);
                }
                if (!due.isEmpty() || !lost.isEmpty()) {
                    q.wake = true;
                    store.work.signalAll();
                }
                promoted += due.size();
                reclaimed += lost.size();
            }
            return new Housekeeping(promoted, reclaimed);
        });
    }

    @Override
    public List<String> queues() {
        return locked("queues", () -> {
            TreeSet<String> names = new TreeSet<>();
            store.queues.forEach((name, q) -> {
                if (!q.jobs.isEmpty()) {
                    names.add(name);
                }
            });
            return List.copyOf(names);
        });
    }

    @Override
    public QueueStats stats(String queue) {
        return locked("stats", () -> {
            Queue q = store.queues.get(queue);
            if (q == null) {
                return new QueueStats(queue, 0, 0, 0, 0);
            }
            return new QueueStats(queue, q.ready.size(), q.delayed.size(), q.leased.size(), q.dead.size());
        });
    }

    @Override
    public JobTotals totals(String queue) {
        return locked("totals", () -> {
            Queue q = store.queues.get(queue);
            return q == null ? new JobTotals(queue, 0, 0) : new JobTotals(queue, q.completed, q.failed);
        });
    }

    @Override
    public List<DeadJob> deadJobs(String queue, int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must be >= 0, were " + offset + " and " + limit);
        }
        return locked("deadJobs", () -> {
            Queue q = store.queues.get(queue);
            List<DeadJob> out = new ArrayList<>();
            if (q == null || limit == 0) {
                return out;
            }
            int skipped = 0;
            for (Scored s : q.dead.order) {
                if (skipped++ < offset) {
                    continue;
                }
                out.add(deadJob(queue, q, s.id));
                if (out.size() == limit) {
                    break;
                }
            }
            return out;
        });
    }

    @Override
    public DeadJob deadJob(String queue, String id) {
        return locked("deadJob", () -> {
            Queue q = store.queues.get(queue);
            return q == null || !q.dead.contains(id) ? null : deadJob(queue, q, id);
        });
    }

    private static DeadJob deadJob(String queue, Queue q, String id) {
        Job job = q.jobs.get(id);
        return new DeadJob(queue, id, job.payload == null ? null : job.payload.clone(), job.runsOver, job.error,
                Instant.ofEpochMilli(q.dead.score(id)));
    }

    @Override
    public String retryDead(String queue, String id, byte[] payload) {
        return locked("retryDead", () -> {
            Queue q = store.queues.get(queue);
            if (q == null || !q.dead.contains(id)) {
                return null;
            }
            Job job = q.jobs.get(id);
            if (job.payload == null && (payload == null || payload.length == 0)) {
                throw new IllegalStateException("dead job " + queue + "/" + id + " has no payload, so it cannot run again; delete it");
            }
            q.dead.remove(id);
            job.runsOver = 0;
            job.expiries = 0;
            job.error = null;
            if (payload != null && payload.length > 0) {
                job.payload = payload.clone();
            }
            q.ready.addLast(id);
            wake(q);
            return id;
        });
    }

    @Override
    public boolean deleteDead(String queue, String id) {
        return locked("deleteDead", () -> {
            Queue q = store.queues.get(queue);
            if (q == null || !q.dead.contains(id)) {
                return false;
            }
            q.dead.remove(id);
            q.jobs.remove(id);
            return true;
        });
    }

    @Override
    public Optional<StoredJob> job(String queue, String id) {
        return locked("job", () -> {
            Queue q = store.queues.get(queue);
            return q == null ? Optional.empty() : Optional.ofNullable(storedJob(queue, q, id));
        });
    }

    @Override
    public List<StoredJob> jobs(String queue, StoredJob.State state, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        return locked("jobs", () -> {
            Queue q = store.queues.get(queue);
            List<StoredJob> out = new ArrayList<>();
            if (q == null) {
                return out;
            }
            Iterable<String> ids = switch (state) {
                case READY -> q.ready;
                case DELAYED -> q.delayed.ids();
                case RUNNING -> q.leased.ids();
                case DEAD -> q.dead.ids();
                case SUCCEEDED -> q.done.ids();
                case CANCELLED -> q.cancelledIds();
            };
            for (String id : ids) {
                if (out.size() == limit) {
                    break;
                }
                StoredJob job = storedJob(queue, q, id);
                if (job != null && job.state() == state) {
                    out.add(job);
                }
            }
            return out;
        });
    }

    @Override
    public boolean cancel(String queue, String id) {
        return locked("cancel", () -> {
            Queue q = store.queues.get(queue);
            Job job = q == null ? null : q.jobs.get(id);
            if (job == null || job.cancelledAt > 0 || q.dead.contains(id)) {
                return false;
            }
            if (q.leased.contains(id)) {
                job.cancelledAt = now(); // the run's end settles it
                return true;
            }
            if (q.delayed.contains(id)) {
                q.delayed.remove(id);
            } else if (!q.ready.remove(id)) {
                return false;
            }
            q.jobs.remove(id);
            q.cancelled.put(id, now());
            return true;
        });
    }

    @Override
    public boolean[] cancelRequested(List<Delivery> deliveries) {
        return locked("cancel check", () -> {
            boolean[] cancelled = new boolean[deliveries.size()];
            for (int i = 0; i < cancelled.length; i++) {
                Delivery d = deliveries.get(i);
                Queue q = store.queues.get(d.queue());
                cancelled[i] = q != null && q.holds(d) && q.jobs.get(d.id()).cancelledAt > 0;
            }
            return cancelled;
        });
    }

    /** The job {@code id} of {@code q} as a lookup reports it, or null if nothing of it is held. */
    private StoredJob storedJob(String queue, Queue q, String id) {
        Job job = q.jobs.get(id);
        if (job == null) {
            if (q.cancelled.contains(id)) {
                return new StoredJob(queue, id, StoredJob.State.CANCELLED, 0, null, null, q.cancelled.score(id));
            }
            if (q.done.contains(id) && q.done.score(id) > now()) {
                return new StoredJob(queue, id, StoredJob.State.SUCCEEDED, 0, null, null, q.done.score(id));
            }
            return null;
        }
        byte[] payload = job.payload == null ? null : job.payload.clone();
        if (job.cancelledAt > 0) {
            return new StoredJob(queue, id, StoredJob.State.CANCELLED, job.runsOver + 1, payload, job.error, job.cancelledAt);
        }
        if (q.leased.contains(id)) {
            return new StoredJob(queue, id, StoredJob.State.RUNNING, job.runsOver + 1, payload, job.error, q.leased.score(id));
        }
        if (q.delayed.contains(id)) {
            return new StoredJob(queue, id, StoredJob.State.DELAYED, job.runsOver, payload, job.error, q.delayed.score(id));
        }
        if (q.dead.contains(id)) {
            return new StoredJob(queue, id, StoredJob.State.DEAD, job.runsOver, payload, job.error, q.dead.score(id));
        }
        return new StoredJob(queue, id, StoredJob.State.READY, job.runsOver, payload, job.error, 0);
    }

    /** Ends this broker's use of the store (a blocked wait returns false); the store and its jobs stay. */
    @Override
    public void close() {
        closed = true;
        interruptWait();
    }

    /** Runs {@code body} under the store's lock, after checking this broker is open: one call, one atomic step. */
    private <T> T locked(String what, Supplier<T> body) {
        checkOpen(what);
        store.lock.lock();
        try {
            return body.get();
        } finally {
            store.lock.unlock();
        }
    }

    /** Tells waiting workers that {@code q} may have ready work; the caller holds the lock. */
    private void wake(Queue q) {
        q.wake = true;
        store.work.signalAll();
    }

    private void checkOpen(String what) {
        if (closed) {
            throw new BrokerException(describe, what + " failed: the broker is closed", null);
        }
    }

    private long now() {
        return options.clock().millis();
    }

    /** The queues of one name and key prefix, and the condition idle workers wait on. */
    private static final class Store {
        final ReentrantLock lock = new ReentrantLock();
        final Condition work = lock.newCondition();
        final Map<String, Queue> queues = new HashMap<>();

        Queue queue(String name) {
            return queues.computeIfAbsent(name, n -> new Queue());
        }
    }

    /** One job's payload and history: runs over (failed, timed out, lease expired), lease expiries, last error. */
    private static final class Job {
        byte[] payload;
        int runsOver;
        int expiries;
        String error;
        /** How long a caller-chosen id stays taken after the job succeeded (ms); 0 or less: not at all. */
        long uniqueFor;
        /** When it was cancelled while it ran (epoch ms); 0: no cancel pending. */
        long cancelledAt;

        Job(byte[] payload) {
            this.payload = payload;
        }
    }

    /** One queue: every job by id, and the id in exactly one of ready, delayed, leased or dead. */
    private static final class Queue {
        final Map<String, Job> jobs = new HashMap<>();
        final ArrayDeque<String> ready = new ArrayDeque<>();
        final ScoredSet delayed = new ScoredSet();
        final ScoredSet leased = new ScoredSet();
        final ScoredSet dead = new ScoredSet();
        /** Caller-chosen ids of succeeded jobs, by the end of their uniqueness window: still taken until then. */
        final ScoredSet done = new ScoredSet();
        /** Jobs cancelled (deleted), by the time of the cancel; kept {@link #CANCELLED_KEPT_MILLIS} for lookups. */
        final ScoredSet cancelled = new ScoredSet();
        /** At most one token, as the Redis broker's wake list: there may be work for an idle worker. */
        boolean wake;
        /** Runs acked, and runs retried or dead-lettered, since the queue was made ({@link JobCounters}). */
        long completed;
        long failed;

        /** True if {@code d} still holds its lease: the job is leased and its attempt is the current one. */
        boolean holds(Delivery d) {
            Job job = jobs.get(d.id());
            return job != null && leased.contains(d.id()) && job.runsOver + 1 == d.attempt();
        }

        /**
         * Deletes job {@code id}, whose lease just ended, and records it cancelled, if a cancel of it is pending;
         * true if it did (the run's outcome is then not recorded).
         */
        boolean settledCancelled(String id) {
            Job job = jobs.get(id);
            if (job == null || job.cancelledAt == 0) {
                return false;
            }
            jobs.remove(id);
            cancelled.put(id, job.cancelledAt);
            return true;
        }

        /** Jobs whose cancel is pending (their run goes on), then the cancelled ones oldest first. */
        List<String> cancelledIds() {
            List<String> out = new ArrayList<>();
            for (Map.Entry<String, Job> e : jobs.entrySet()) {
                if (e.getValue().cancelledAt > 0) {
                    out.add(e.getKey());
                }
            }
            out.addAll(cancelled.ids());
            return out;
        }

        /** Ends the lease of {@code d} if it still holds it. */
        boolean endLease(Delivery d) {
            if (!holds(d)) {
                return false;
            }
            leased.remove(d.id());
            return true;
        }
    }

    /** A member and its score, ordered as a Redis sorted set orders them: by score, then by member. */
    private record Scored(long score, String id) implements Comparable<Scored> {
        @Override
        public int compareTo(Scored o) {
            int c = Long.compare(score, o.score);
            return c != 0 ? c : id.compareTo(o.id);
        }
    }

    /** Ids by a time (due time, lease deadline, time of death), as a Redis sorted set holds them. */
    private static final class ScoredSet {
        final Map<String, Long> scores = new HashMap<>();
        final TreeSet<Scored> order = new TreeSet<>();

        void put(String id, long score) {
            Long old = scores.put(id, score);
            if (old != null) {
                order.remove(new Scored(old, id));
            }
            order.add(new Scored(score, id));
        }

        void remove(String id) {
            Long old = scores.remove(id);
            if (old != null) {
                order.remove(new Scored(old, id));
            }
        }

        String removeFirst() {
            Scored first = order.pollFirst();
            scores.remove(first.id);
            return first.id;
        }

        boolean contains(String id) {
            return scores.containsKey(id);
        }

        long score(String id) {
            return scores.get(id);
        }

        int size() {
            return scores.size();
        }

        /** The ids, lowest score first (a copy). */
        List<String> ids() {
            List<String> out = new ArrayList<>(order.size());
            for (Scored s : order) {
                out.add(s.id);
            }
            return out;
        }

        /** The first score, or -1 if the set is empty. */
        long firstScore() {
            return order.isEmpty() ? -1 : order.first().score;
        }

        /** Up to {@code limit} ids scored at or before {@code now}, lowest first. */
        List<String> due(long now, int limit) {
            List<String> out = new ArrayList<>();
            Iterator<Scored> it = order.iterator();
            while (it.hasNext() && out.size() < limit) {
                Scored s = it.next();
                if (s.score > now) {
                    break;
                }
                out.add(s.id);
            }
            return out;
        }
    }
}
