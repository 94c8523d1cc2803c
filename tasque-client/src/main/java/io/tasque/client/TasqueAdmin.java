package io.tasque.client;

import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.DeadJob;
import io.tasque.broker.JobCounters;
import io.tasque.broker.JobLookup;
import io.tasque.broker.JobTotals;
import io.tasque.broker.StoredJob;
import io.tasque.broker.Partitioning;
import io.tasque.broker.QueueStats;
import io.tasque.broker.WorkerBeat;
import io.tasque.broker.WorkerDirectory;
import io.tasque.codec.Envelope;
import io.tasque.codec.TaskCodec;
import io.tasque.codec.UndecodablePayloadException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's view of the queues: job counts by state, the dead letter (list, retry, delete), and the schedules.
 * Obtained from {@link TasqueClient#admin()}; shares its connection and is as thread-safe as it is.
 */
public final class TasqueAdmin {

    private final Broker broker;
    private final Runnable checkOpen;
    private final TaskCodec codec;
    private final Clock clock;
    private final Duration ttl;
    private final ClientSchedules schedules;

    /** {@code checkOpen} runs before every broker call, so a closed client's admin view says it is closed. */
    TasqueAdmin(Broker broker, Runnable checkOpen, TaskCodec codec, Clock clock, Duration ttl, ClientSchedules schedules) {
        this.schedules = schedules;
        this.broker = broker;
        this.checkOpen = checkOpen;
        this.codec = codec;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** Names of the queues (= task names) that hold jobs in any state. */
    public List<String> queues() {
        return broker().queues();
    }

    /**
     * Every schedule stored in the broker, by id: its task, definition, catch-up policy, next and last fire time.
     *
     * @throws UnsupportedOperationException if the broker cannot store schedules (Disque, memory)
     */
    public List<ScheduleInfo> schedules() {
        checkOpen.run();
        return schedules.list();
    }

    /** Ready, delayed, running and dead counts of one task name's queue. */
    public QueueCounts stats(String taskName) {
        return counts(broker().stats(queueOf(taskName)));
    }

    /** Counts for every queue. */
    public List<QueueCounts> stats() {
        List<QueueCounts> out = new ArrayList<>();
        for (String q : queues()) {
            out.add(counts(broker().stats(q)));
        }
        return out;
    }

    /**
     * The runs of task {@code taskName} that ended, completed or failed, counted by the broker since its queue's first
     * run; empty if the broker keeps no such count (Disque). Read it twice for a rate.
     */
    public Optional<QueueTotals> totals(String taskName) {
        String queue = queueOf(taskName);
        return broker().capability(JobCounters.class).map(c -> {
            JobTotals t = c.totals(queue);
            return new QueueTotals(taskName, t.completed(), t.failed());
        });
    }

    /**
     * What an operator's view lists, in name order: the queues that hold jobs ({@link #queues()}) and those a live
     * worker serves ({@link #workers()}). A queue whose jobs run as fast as they come seldom holds one when asked, so
     * {@link #queues()} alone would drop it while it is busiest.
     */
    public List<String> queuesInUse() {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(queues());
        Instant now = clock.instant();
        for (WorkerInfo w : workers()) {
            if (!w.goneAt(now)) {
                names.addAll(w.queues());
            }
        }
        return List.copyOf(names);
    }

    private static QueueCounts counts(QueueStats s) {
        return new QueueCounts(s.queue(), s.ready(), s.delayed(), s.inFlight(), s.dead());
    }

    /**
     * The job {@code id} of task {@code taskName}: ready, delayed, running, dead, cancelled (for 24 hours after the
     * cancel), or succeeded while a caller-chosen id's uniqueness window lasts; empty if the broker holds nothing of it.
     *
     * @throws UnsupportedOperationException if the broker cannot look jobs up (Disque)
     */
    public Optional<JobInfo> job(String taskName, String id) {
        Task.checkId(id);
        return lookup().job(queueOf(taskName), id).map(this::info);
    }

    /**
     * Up to {@code limit} jobs of task {@code taskName} in {@code state}: ready ones in queue order, delayed ones by
     * due time, running ones by lease deadline, dead ones oldest first, succeeded ones (caller-chosen ids within
     * their window) by the end of the window; cancelled ones whose run still goes on first, then the others by time of
     * the cancel (kept 24 hours).
     *
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public List<JobInfo> jobs(String taskName, JobState state, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        List<JobInfo> out = new ArrayList<>();
        for (StoredJob j : lookup().jobs(queueOf(taskName), StoredJob.State.valueOf(state.name()), limit)) {
            out.add(info(j));
        }
        return out;
    }

    private JobLookup lookup() {
        Broker b = broker();
        return b.capability(JobLookup.class).orElseThrow(() -> new UnsupportedOperationException(
                "the broker " + b.describe() + " cannot look jobs up by id"));
    }

    private JobInfo info(StoredJob j) {
        Map<String, Object> params = Map.of();
        Map<String, String> headers = Map.of();
        if (j.payload() != null) {
            try {
                Envelope e = codec.decode(j.payload());
                params = e.params();
                headers = e.headers() == null ? Map.of() : e.headers();
            } catch (UndecodablePayloadException | IllegalArgumentException e) {
                params = Map.of();
            }
        }
        Instant at = j.atMillis() == 0 ? null : Instant.ofEpochMilli(j.atMillis());
        return new JobInfo(j.id(), j.queue(), JobState.valueOf(j.state().name()), j.attempt(), params, j.lastError(), at,
                headers);
    }

    /** Up to {@code limit} dead jobs of a queue, oldest first, starting at {@code offset}. */
    public List<DeadTask> deadTasks(String taskName, int offset, int limit) {
        List<DeadTask> out = new ArrayList<>();
        for (DeadJob d : broker().deadJobs(queueOf(taskName), offset, limit)) {
            Task task = null;
            String raw = d.payload() == null ? null : new String(d.payload(), StandardCharsets.UTF_8);
            if (d.payload() != null) {
                try {
                    Envelope e = codec.decode(d.payload());
                    task = Task.received(e.name(), e.params(), e.headers(), d.id(), Math.max(1, d.attempts()));
                } catch (UndecodablePayloadException | IllegalArgumentException e) {
                    task = null;
                }
            }
            out.add(new DeadTask(d.queue(), d.id(), task, raw, d.attempts(), d.lastError(), d.diedAt()));
        }
        return out;
    }

    /** Every dead job of a queue (up to 10 000). */
    public List<DeadTask> deadTasks(String taskName) {
        return deadTasks(taskName, 0, 10_000);
    }

    /**
     * Moves a dead job back to its queue with its attempts reset and a fresh time to live, so it runs again even
     * if it died of old age: as long a TTL as it had (its expiry minus its enqueue time), or the client's TTL when
     * that is unknown; a job that never expired still never does. The payload is swapped only while the job is
     * still dead, so a job revived meanwhile by someone else is not touched.
     *
     * @return what was done: {@link DeadRetry#retried()} false if the queue has no dead job with that id
     * @throws IllegalArgumentException if the task name is invalid or the id is null or blank
     * @throws IllegalStateException if the dead job has no payload (it cannot run again; delete it)
     */
    public DeadRetry retryDead(String taskName, String id) {
        String queue = queueOf(taskName);
        checkId(id);
        DeadJob dead = broker().deadJob(queue, id);
        if (dead == null) {
            return DeadRetry.none(queue, id);
        }
        if (dead.payload() == null) {
            throw new IllegalStateException("dead job " + queue + "/" + id + " has no payload, so it cannot run again; delete it");
        }
        Envelope old;
        try {
            old = codec.decode(dead.payload());
        } catch (UndecodablePayloadException | IllegalArgumentException e) {
            // nothing to renew in a payload nobody can read: it goes back as it is (and dies again, for the same reason)
            String newId = broker().retryDead(queue, id, null);
            return newId == null ? DeadRetry.none(queue, id) : new DeadRetry(queue, newId, true, null);
        }
        long now = clock.millis();
        long life = old.expiresAt() <= 0 ? 0 : old.enqueuedAt() > 0 && old.expiresAt() > old.enqueuedAt()
                ? old.expiresAt() - old.enqueuedAt() : ttl.toMillis();
        long expiresAt = life == 0 ? 0 : now + life;
        byte[] renewed = codec.encode(new Envelope(old.id(), old.name(), old.params(), now, expiresAt, old.headers()));
        String newId = broker().retryDead(queue, id, renewed);
        if (newId == null) {
            return DeadRetry.none(queue, id);
        }
        return new DeadRetry(queue, newId, true, expiresAt == 0 ? null : Instant.ofEpochMilli(expiresAt));
    }

    /**
     * Deletes a dead job for good.
     *
     * @return false if the queue has no dead job with that id
     * @throws IllegalArgumentException if the task name is invalid or the id is null or blank
     */
    public boolean deleteDead(String taskName, String id) {
        String queue = queueOf(taskName);
        checkId(id);
        return broker().deleteDead(queue, id);
    }

    /**
     * Splits a task name's queue into {@code k} partitions, each stored on its own (on a Redis Cluster, in its own
     * hash slot, so on whichever master owns it): producers spread new jobs over the {@code k} partitions, workers
     * fetch from all of them. K is stored in the broker, and every client and worker follows it within a few
     * seconds. Raising or lowering K moves no job and strands none: partitions left over after lowering K are
     * still fetched from until they are empty.
     *
     * @throws IllegalArgumentException if the task name is invalid or {@code k} is not between 1 and
     *                                  {@value Partitioning#MAX_PARTITIONS}
     * @throws UnsupportedOperationException if the broker keeps a queue as one (Disque spreads jobs over its nodes
     *                                       by itself; {@code memory://} has one process to serve)
     */
    public void partitions(String taskName, int k) {
        String queue = queueOf(taskName);
        Partitioning.checkCount(queue, k);
        partitioning().partitions(queue, k);
    }

    /** The number of partitions new jobs of a task name are spread over: 1 unless set with {@link #partitions(String, int)}. */
    public int partitions(String taskName) {
        String queue = queueOf(taskName);
        return broker().capability(Partitioning.class).map(p -> p.partitions(queue)).orElse(1);
    }

    private Partitioning partitioning() {
        return broker().capability(Partitioning.class).orElseThrow(() -> new UnsupportedOperationException(
                "broker " + broker.describe() + " cannot split a queue into partitions; partitions are for Redis"
                        + " (redis://, redis-cluster://, redis-sentinel://)"));
    }

    /**
     * The workers listed by the broker: every running worker writes its entry every 5 s and removes it when it stops,
     * so an entry whose heartbeat is older than {@link WorkerInfo#GONE_AFTER} is a worker that died without stopping
     * ({@link WorkerInfo#goneAt}); {@link #forgetWorker} drops it. Sorted by host, then id. An entry that cannot be
     * read (written by something else) is left out. Empty on a broker without a worker list (Disque).
     */
    public List<WorkerInfo> workers() {
        Optional<WorkerDirectory> directory = broker().capability(WorkerDirectory.class);
        if (directory.isEmpty()) {
            return List.of();
        }
        List<WorkerInfo> out = new ArrayList<>();
        for (Map.Entry<String, String> e : directory.get().listWorkers().entrySet()) {
            WorkerBeat b;
            try {
                b = WorkerBeat.parse(e.getValue());
            } catch (IllegalArgumentException bad) {
                continue;
            }
            out.add(new WorkerInfo(e.getKey(), b.host(), b.pid(), b.concurrency(), b.running(), b.queues(),
                    Instant.ofEpochMilli(b.heartbeat()), Instant.ofEpochMilli(b.started())));
        }
        out.sort(java.util.Comparator.comparing(WorkerInfo::host).thenComparing(WorkerInfo::id));
        return out;
    }

    /**
     * Removes a worker's entry from the broker's list (one that is gone: a running worker writes it again within 5 s).
     *
     * @return false if there was no such entry, or the broker keeps no worker list
     */
    public boolean forgetWorker(String id) {
        checkId(id);
        return broker().capability(WorkerDirectory.class).map(d -> d.removeWorker(id)).orElse(false);
    }

    private static void checkId(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id must be a job id, was " + (id == null ? "null" : "'" + id + "'"));
        }
    }

    /** The client's broker, once it is known to be open. */
    private Broker broker() {
        checkOpen.run();
        return broker;
    }

    /** The queue of {@code taskName}, checked by the broker's rule for names. */
    private String queueOf(String taskName) {
        broker().checkQueueName(taskName);
        return taskName;
    }
}
