package io.tasque.client;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.tasque.JobIds;
import io.tasque.Misfire;
import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.Cancelling;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.EnqueueNew;
import io.tasque.broker.OutgoingJob;
import io.tasque.codec.Envelope;
import io.tasque.codec.EnvelopeCodec;
import io.tasque.codec.TaskCodec;
import io.tasque.schedule.ScheduleTrigger;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits tasks to a broker: one at a time, delayed, or in bulk. Thread-safe; starts no threads. Every call
 * either stores the job and returns its id, or throws within the enqueue timeout; a {@link BrokerException}
 * names the broker. Close it to release its connections; after {@link #close()} every submit and admin call
 * fails with an {@link IllegalStateException} saying so.
 *
 * <pre>{@code
 * try (TasqueClient client = TasqueClient.connect("redis://localhost:6379")) {
 *     String id = client.submit(Task.of("download").set("url", "https://example.org/a.pdf"));
 * }
 * }</pre>
 */
public final class TasqueClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TasqueClient.class);

    /** How long a submit may take before it fails: 5 s. */
    public static final Duration DEFAULT_ENQUEUE_TIMEOUT = Duration.ofSeconds(5);
    /** How long a job may wait and retry before it is dead-lettered: 24 h. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    /** Jobs sent in one round trip by {@link #submitAll}: 1000. */
    public static final int DEFAULT_BATCH_SIZE = 1000;
    /** Longest delay accepted by {@link #submit(Task, Duration)}: 365 days. */
    public static final Duration MAX_DELAY = Duration.ofDays(365);

    private final Broker broker;
    private final EnqueueNew store;
    private final TaskCodec codec;
    private final Clock clock;
    private final Duration ttl;
    private final int batchSize;
    /** One group commit and circuit breaker per shard of the broker (one in all on a single Redis). */
    private final SubmitLanes lanes;
    private final TasqueAdmin admin;
    private final ClientSchedules schedules;
    private final SubmitInterceptors interceptors;
    private final SubmitTracing tracing;
    private final SubmitMetrics metrics;
    private final Object healthLock = new Object();
    /** The last answer of {@link #health()}; guarded by healthLock. */
    private ClientHealth health;
    private volatile boolean closed;

    private TasqueClient(Builder b) {
        Duration connect = b.enqueueTimeout.compareTo(Duration.ofSeconds(4)) >= 0
                ? Duration.ofSeconds(2) : b.enqueueTimeout.dividedBy(2);
        BrokerOptions options = b.brokerOptions.toBuilder()
                .connectTimeout(connect)
                .commandTimeout(b.enqueueTimeout.minus(connect))
                .clock(b.clock)
                .build();
        this.broker = b.broker != null ? b.broker : Brokers.open(b.uri, options);
        this.store = EnqueueNew.of(broker);
        if (b.broker == null) {
            refuseEarly(broker);
        }
        this.codec = broker.codec(b.maxPayloadBytes);
        this.clock = b.clock;
        this.ttl = b.ttl;
        this.batchSize = b.batchSize;
        this.lanes = new SubmitLanes(broker, store, b.circuitBreaker, batchSize);
        this.schedules = new ClientSchedules(broker, codec, ttl);
        this.admin = new TasqueAdmin(broker, this::checkOpen, codec, clock, ttl, schedules);
        this.interceptors = new SubmitInterceptors(b.interceptors);
        this.tracing = new SubmitTracing(b.observationRegistry);
        this.metrics = new SubmitMetrics(b.meterRegistry);
        log.debug("tasque client for {}: enqueueTimeout={}, ttl={}, maxPayloadBytes={}, batchSize={}",
                broker.describe(), b.enqueueTimeout, ttl, b.maxPayloadBytes, batchSize);
    }

    /**
     * Asks the broker once, so that a refusal (a wrong password, a missing permission, a TLS certificate that is
     * not trusted) fails the connect in the server's words. A broker that does not answer does not fail it:
     * the client works as soon as the broker is back, and a submit fails within the enqueue timeout until then.
     */
    private static void refuseEarly(Broker broker) {
        try {
            broker.ping();
        } catch (BrokerException e) {
            if (e.kind() == BrokerException.Kind.REFUSED) {
                broker.close();
                throw e;
            }
            log.debug("tasque client for {}: no answer at connect ({}); submits will try again", broker.describe(), e.getMessage());
        }
    }

    /**
     * Connects with every default (enqueue timeout 5 s, TTL 24 h, payload limit 512 KiB).
     *
     * @throws IllegalArgumentException if the URI is malformed, naming it
     * @throws BrokerException of kind REFUSED if the broker refuses the credentials or the TLS certificate
     */
    public static TasqueClient connect(String uri) {
        return builder().broker(uri).build();
    }

    /** A builder; {@code broker(…)} is required, everything else has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Submits a task to run as soon as a worker is free. Submits from many threads at once share round trips
     * (group commit); a lone submit goes out at once.
     *
     * @return the job id
     * @throws IllegalArgumentException if the task cannot be encoded, is over the payload limit or has a name the
     *                                  broker refuses (Redis: whitespace or braces); nothing is enqueued
     * @throws BrokerException if the broker did not store it within the enqueue timeout
     */
    public String submit(Task task) {
        return submit(task, Duration.ZERO);
    }

    /**
     * Submits a task to run no earlier than {@code delay} from now (millisecond granularity).
     *
     * @return the job id
     * @throws IllegalArgumentException if the delay is negative or over {@link #MAX_DELAY}, or the task cannot be encoded
     */
    public String submit(Task task, Duration delay) {
        if (!metrics.on()) {
            return submitTraced(task, delay);
        }
        long start = System.nanoTime();
        boolean stored = false;
        try {
            String id = submitTraced(task, delay);
            stored = true;
            return id;
        } finally {
            if (task != null) {
                metrics.record(task.name(), start, 1, stored);
            }
        }
    }

    private String submitTraced(Task task, Duration delay) {
        Objects.requireNonNull(task, "task");
        checkDelay(delay);
        checkOpen();
        if (!tracing.on()) {
            return store(prepare(task, delay));
        }
        Observation o = tracing.start(List.of(task));
        try (Observation.Scope scope = o.openScope()) {
            OutgoingJob job = prepare(SubmitTracing.carry(o, task), delay);
            o.highCardinalityKeyValue(SubmitTracing.JOB, job.id());
            return store(job);
        } catch (RuntimeException | Error e) {
            o.error(e);
            throw e;
        } finally {
            o.stop();
        }
    }

    private String store(OutgoingJob job) {
        try {
            SubmitLanes.Lane lane = lanes.laneOf(job.queue());
            if (job.chosenId()) {
                // enqueue.lua, which skips an id that is taken; the group commit stores made ids without looking
                return lane.guard().call(() -> broker.enqueue(List.of(job))).get(0);
            }
            return lane.batcher().submit(job);
        } catch (BrokerException e) {
            throw closedDuring(e);
        }
    }

    /**
     * Submits many tasks, {@value #DEFAULT_BATCH_SIZE} (the batch size) per round trip. Every task is encoded
     * before anything is sent, so a bad task fails the call with nothing enqueued. If the broker fails part
     * way, the batches sent before the failure stay enqueued and the exception says how many.
     *
     * @return the job ids, in the order of the tasks
     */
    public List<String> submitAll(Collection<Task> tasks) {
        return submitAll(tasks, Duration.ZERO);
    }

    /** Like {@link #submitAll(Collection)}, each task delayed by {@code delay}. */
    public List<String> submitAll(Collection<Task> tasks, Duration delay) {
        if (!metrics.on() || tasks == null || tasks.isEmpty()) {
            return submitAllTraced(tasks, delay);
        }
        long start = System.nanoTime();
        String name = SubmitTracing.commonName(tasks);
        boolean stored = false;
        try {
            List<String> ids = submitAllTraced(tasks, delay);
            stored = true;
            return ids;
        } finally {
            metrics.record(name, start, tasks.size(), stored);
        }
    }

    private List<String> submitAllTraced(Collection<Task> tasks, Duration delay) {
        Objects.requireNonNull(tasks, "tasks");
        checkDelay(delay);
        checkOpen();
        int i = 0;
        for (Task t : tasks) {
            if (t == null) {
                throw new IllegalArgumentException("tasks[" + i + "] is null");
            }
            i++;
        }
        if (!tracing.on()) {
            return storeAll(tasks, delay, null);
        }
        Observation o = tracing.start(List.copyOf(tasks));
        try (Observation.Scope scope = o.openScope()) {
            return storeAll(tasks, delay, o);
        } catch (RuntimeException | Error e) {
            o.error(e);
            throw e;
        } finally {
            o.stop();
        }
    }

    /** Encodes every task (with the observation's headers, if any), then stores them. */
    private List<String> storeAll(Collection<Task> tasks, Duration delay, Observation o) {
        List<OutgoingJob> jobs = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
            jobs.add(prepare(o == null ? t : SubmitTracing.carry(o, t), delay));
        }
        if (lanes.single()) {
            return submitInOrder(jobs, lanes.laneOf(jobs.isEmpty() ? "" : jobs.get(0).queue()).guard());
        }
        return submitByShard(jobs);
    }

    /** Sends {@code jobs} in batches, in order, through one shard's breaker. */
    private List<String> submitInOrder(List<OutgoingJob> jobs, SubmitGuard guard) {
        List<String> ids = new ArrayList<>(jobs.size());
        for (int from = 0; from < jobs.size(); from += batchSize) {
            List<OutgoingJob> batch = jobs.subList(from, Math.min(jobs.size(), from + batchSize));
            List<String> stored;
            try {
                stored = guard.call(() -> anyChosenId(batch) ? broker.enqueue(batch) : store.enqueueNew(batch));
            } catch (BrokerException e) {
                if (from == 0) {
                    throw closedDuring(e);
                }
                throw new BrokerException(broker.describe(), "submitAll stored the first " + from + " of " + jobs.size()
                        + " jobs, then failed: " + e.getMessage(), e);
            }
            ids.addAll(stored);
        }
        return ids;
    }

    /**
     * On a broker of several shards: each shard's jobs in batches through its own breaker, the shards one after the
     * other. A shard that fails stops the call; the exception says how many jobs the shards before it stored.
     */
    private List<String> submitByShard(List<OutgoingJob> jobs) {
        Map<SubmitLanes.Lane, List<Integer>> byLane = new LinkedHashMap<>();
        for (int i = 0; i < jobs.size(); i++) {
            byLane.computeIfAbsent(lanes.laneOf(jobs.get(i).queue()), l -> new ArrayList<>()).add(i);
        }
        String[] ids = new String[jobs.size()];
        int stored = 0;
        for (Map.Entry<SubmitLanes.Lane, List<Integer>> lane : byLane.entrySet()) {
            List<OutgoingJob> own = new ArrayList<>(lane.getValue().size());
            for (int i : lane.getValue()) {
                own.add(jobs.get(i));
            }
            List<String> got;
            try {
                got = submitInOrder(own, lane.getKey().guard());
            } catch (BrokerException e) {
                if (stored == 0) {
                    throw e;
                }
                throw new BrokerException(broker.describe(), "submitAll stored " + stored + " of " + jobs.size()
                        + " jobs (those of the shards before " + lane.getKey().shard() + "), then failed: " + e.getMessage(), e);
            }
            for (int n = 0; n < got.size(); n++) {
                ids[lane.getValue().get(n)] = got.get(n);
            }
            stored += got.size();
        }
        return List.of(ids);
    }

    /**
     * Cancels job {@code id} of task {@code taskName}. A ready or delayed job is deleted at once. A running job's
     * handler thread is interrupted on whichever worker runs it, within about a second, and its run ends as
     * cancelled: it is not retried or dead-lettered, and an ack arriving after the cancel does not bring it back.
     * The job is reported {@link JobState#CANCELLED} by {@link TasqueAdmin#job} for 24 hours. A cancel racing the
     * job's completion has one winner: either this returns true and the job is cancelled, or the job finished first
     * and this returns false.
     *
     * @return true if the job was ready, delayed or running and is now cancelled; false if there is no such job to
     *         cancel (unknown, succeeded, dead, or cancelled already)
     * @throws IllegalArgumentException if the name or id is not valid, naming the value
     * @throws UnsupportedOperationException if the broker cannot cancel jobs (Disque)
     * @throws BrokerException if the broker could not be reached
     */
    public boolean cancel(String taskName, String id) {
        broker.checkQueueName(taskName);
        Task.checkId(id);
        checkOpen();
        Cancelling cancelling = broker.capability(Cancelling.class).orElseThrow(() -> new UnsupportedOperationException(
                "the broker " + broker.describe() + " cannot cancel jobs"));
        try {
            return cancelling.cancel(taskName, id);
        } catch (BrokerException e) {
            throw closedDuring(e);
        }
    }

    /**
     * Asks the broker once (a ping, within the client's timeouts) and says how the client stands: open or closed,
     * broker reachable or not with the error, and since when that holds. For an application's health check; it
     * does not touch submits.
     */
    public ClientHealth health() {
        synchronized (healthLock) {
            if (closed) {
                return note(false, false, "closed");
            }
            try {
                broker.ping();
                return note(true, true, null);
            } catch (BrokerException e) {
                String kind = e.kind() == BrokerException.Kind.REFUSED ? "refused: " : "unreachable: ";
                return note(true, false, kind + e.getMessage());
            }
        }
    }

    private ClientHealth note(boolean open, boolean reachable, String error) {
        ClientHealth last = health;
        if (last == null || last.open() != open || last.brokerReachable() != reachable || !java.util.Objects.equals(last.lastError(), error)) {
            health = new ClientHealth(open, reachable, error, clock.instant());
        }
        return health;
    }

    /**
     * Submits {@code template} at every tick of a 5-field Unix cron expression, in UTC; see
     * {@link #schedule(String, String, ZoneId, Task, Misfire)}.
     */
    public void schedule(String scheduleId, String cron, Task template) {
        schedule(scheduleId, cron, ZoneOffset.UTC, template, Misfire.ONCE);
    }

    /**
     * Submits {@code template} at every tick of a 5-field Unix cron expression in {@code zone}, catching up
     * {@link Misfire#ONCE}; see {@link #schedule(String, String, ZoneId, Task, Misfire)}.
     */
    public void schedule(String scheduleId, String cron, ZoneId zone, Task template) {
        schedule(scheduleId, cron, zone, template, Misfire.ONCE);
    }

    /**
     * Stores a schedule in the broker: at every tick of {@code cron} (minute hour day-of-month month day-of-week, or
     * one of {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}) on {@code zone}'s wall clock, one
     * running worker submits {@code template} as a job with the id {@code <scheduleId>@<tick as ISO-8601 instant>}
     * (e.g. {@code nightly@2026-11-30T02:00:00Z}) and this client's TTL; any number of workers fire each tick
     * exactly once. Ticks missed while no worker ran are handled as {@code misfire} says. Registering the same id
     * again with the same definition (expression, zone, task name, params, headers, policy, TTL) changes nothing,
     * so every service instance may register its schedules at start-up; another definition replaces the stored one
     * and its next tick is computed anew. Daylight saving time: see {@link io.tasque.schedule.CronTrigger}.
     *
     * @throws IllegalArgumentException naming the value: a cron expression that is not valid (and why), a schedule
     *                                  id that is not a valid job id or over 80 characters, a null zone, template
     *                                  or policy, a template with an id ({@link Task#id(String)}: each tick makes
     *                                  its own), or a template that cannot be submitted (name, params, size)
     * @throws UnsupportedOperationException if the broker cannot store schedules (Disque, memory)
     * @throws BrokerException if the broker could not be reached
     */
    public void schedule(String scheduleId, String cron, ZoneId zone, Task template, Misfire misfire) {
        ScheduleTrigger trigger = ScheduleTrigger.cron(cron, zone);
        storeSchedule(scheduleId, trigger, template, misfire);
    }

    /** Submits {@code template} every {@code every}, catching up {@link Misfire#ONCE}; see {@link #scheduleEvery(String, Duration, Task, Misfire)}. */
    public void scheduleEvery(String scheduleId, Duration every, Task template) {
        scheduleEvery(scheduleId, every, template, Misfire.ONCE);
    }

    /**
     * Stores a schedule whose ticks fall every {@code every} (at least 1 s), at the whole multiples of it since the
     * Unix epoch (every 10 s: at :00, :10, :20 … of each minute), otherwise as
     * {@link #schedule(String, String, ZoneId, Task, Misfire)}.
     *
     * @throws IllegalArgumentException naming the value when {@code every} is null or under 1 s, or as for
     *                                  {@code schedule}
     * @throws UnsupportedOperationException if the broker cannot store schedules (Disque, memory)
     */
    public void scheduleEvery(String scheduleId, Duration every, Task template, Misfire misfire) {
        ScheduleTrigger trigger = ScheduleTrigger.every(every);
        storeSchedule(scheduleId, trigger, template, misfire);
    }

    /**
     * Removes a schedule: no tick of it fires from now on (a tick being fired at this moment may still submit its
     * job). Jobs already submitted stay.
     *
     * @return true if it existed, false if there was no such schedule
     * @throws IllegalArgumentException if the id is not a valid schedule id, naming it
     * @throws UnsupportedOperationException if the broker cannot store schedules (Disque, memory)
     */
    public boolean unschedule(String scheduleId) {
        checkOpen();
        try {
            return schedules.remove(scheduleId);
        } catch (BrokerException e) {
            throw closedDuring(e);
        }
    }

    private void storeSchedule(String scheduleId, ScheduleTrigger trigger, Task template, Misfire misfire) {
        checkOpen();
        try {
            schedules.put(scheduleId, trigger, template, misfire);
        } catch (BrokerException e) {
            throw closedDuring(e);
        }
    }

    /** The admin view on the same connection: queue counts and dead-letter management. */
    public TasqueAdmin admin() {
        return admin;
    }

    /** The broker URI, without credentials. */
    public String broker() {
        return broker.describe();
    }

    /** Closes the broker connections; idempotent. Calls made afterwards fail with an IllegalStateException. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        broker.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("tasque client for " + broker.describe() + " is closed");
        }
    }

    /** The broker error of a call that close() overtook says so, instead of the pool's own complaint. */
    private RuntimeException closedDuring(BrokerException e) {
        if (!closed) {
            return e;
        }
        return new IllegalStateException("tasque client for " + broker.describe() + " is closed", e);
    }

    private OutgoingJob prepare(Task submitted, Duration delay) {
        Task task = interceptors.apply(submitted);
        broker.checkQueueName(task.name());
        long now = clock.millis();
        boolean chosen = task.hasChosenId();
        String id = chosen ? task.id() : JobIds.next();
        long expiresAt = ttl.isZero() ? 0 : now + ttl.toMillis();
        byte[] payload = codec.encode(new Envelope(id, task.name(), task.params(), now, expiresAt, task.headers()));
        long due = delay.isZero() ? 0 : now + delay.toMillis();
        long uniqueFor = chosen ? task.uniqueFor().toMillis() : OutgoingJob.MADE_ID;
        return new OutgoingJob(task.name(), id, payload, due, uniqueFor);
    }

    /** True if a job of {@code jobs} has an id the caller chose: those go through {@link Broker#enqueue}. */
    private static boolean anyChosenId(List<OutgoingJob> jobs) {
        for (OutgoingJob job : jobs) {
            if (job.chosenId()) {
                return true;
            }
        }
        return false;
    }

    private static void checkDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0, was " + delay);
        }
        if (delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("delay " + delay + " is over the limit of " + MAX_DELAY);
        }
    }

    /** Client settings with named defaults; every setter checks its value. */
    public static final class Builder {
        private String uri;
        private Broker broker;
        private Duration enqueueTimeout = DEFAULT_ENQUEUE_TIMEOUT;
        private Duration ttl = DEFAULT_TTL;
        private int maxPayloadBytes = EnvelopeCodec.DEFAULT_MAX_PAYLOAD_BYTES;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Clock clock = Clock.systemUTC();
        private BrokerOptions brokerOptions = BrokerOptions.defaults();
        private CircuitBreakerSettings circuitBreaker = CircuitBreakerSettings.DEFAULT;
        private final List<SubmitInterceptor> interceptors = new ArrayList<>();
        private ObservationRegistry observationRegistry;
        private MeterRegistry meterRegistry;

        /** The broker URI, e.g. {@code redis://localhost:6379}; checked here, so a bad URI fails at once. */
        public Builder broker(String uri) {
            io.tasque.broker.BrokerUri.parse(uri);
            this.uri = uri;
            return this;
        }

        /** Uses an already open broker (for tests and custom brokers); the client closes it. */
        public Builder broker(Broker broker) {
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        /** Longest time a submit may take before it fails (default 5 s). */
        public Builder enqueueTimeout(Duration timeout) {
            if (timeout == null || timeout.toMillis() < 10) {
                throw new IllegalArgumentException("enqueueTimeout must be >= 10 ms, was " + timeout);
            }
            this.enqueueTimeout = timeout;
            return this;
        }

        /** How long a job may wait and be retried before it is dead-lettered (default 24 h; zero = forever). */
        public Builder ttl(Duration ttl) {
            if (ttl == null || ttl.isNegative()) {
                throw new IllegalArgumentException("ttl must be >= 0, was " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /**
         * Largest encoded task accepted (default 512 KiB, at most {@link EnvelopeCodec#MAX_PAYLOAD_BYTES}, 16 MiB:
         * the most a worker is sure to read back).
         */
        public Builder maxPayloadBytes(int bytes) {
            if (bytes < 64) {
                throw new IllegalArgumentException("maxPayloadBytes must be >= 64, was " + bytes);
            }
            if (bytes > EnvelopeCodec.MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("maxPayloadBytes " + bytes + " is over the maximum of "
                        + EnvelopeCodec.MAX_PAYLOAD_BYTES + " (16 MiB), the most a worker is sure to read back;"
                        + " store large data elsewhere and pass a reference");
            }
            this.maxPayloadBytes = bytes;
            return this;
        }

        /** Jobs per round trip in {@link TasqueClient#submitAll} (default 1000). */
        public Builder batchSize(int n) {
            if (n < 1 || n > 10_000) {
                throw new IllegalArgumentException("batchSize must be 1..10000, was " + n);
            }
            this.batchSize = n;
            return this;
        }

        /** The clock submit times and TTLs are taken from (a test's manual clock; the system's by default). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Pool size, key prefix and other connection settings; the timeouts come from the enqueue timeout. */
        public Builder brokerOptions(BrokerOptions options) {
            this.brokerOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** When to stop calling a failing broker and fail fast instead (default: see {@link CircuitBreakerSettings}). */
        public Builder circuitBreaker(CircuitBreakerSettings settings) {
            this.circuitBreaker = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Adds an interceptor that sees, and may replace, every submitted task before it is encoded (to add headers,
         * say). Interceptors run in the order they were added; see {@link SubmitInterceptor}.
         */
        public Builder intercept(SubmitInterceptor interceptor) {
            this.interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Observes every submit with {@code registry} (Micrometer Observation): one observation {@code tasque.submit}
         * per {@code submit} or {@code submitAll} call, of kind producer, with the low-cardinality key
         * {@code tasque.task} and the high-cardinality key {@code tasque.job} (or {@code tasque.jobs}, the count, for a
         * {@code submitAll}). With a tracing handler on the registry the trace context goes into the tasks' headers
         * (with W3C propagation, {@code traceparent}), and a worker given a registry continues the trace in the
         * handler run. Without a registry (the default) nothing is observed and no header added.
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Meters submits in {@code registry}: {@code tasque.submits{task,outcome=stored|failed}} counts jobs and
         * {@code tasque.submit.duration{task}} times each call. Without a registry (the default) nothing is metered.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Connects: a malformed URI fails here, and so does a broker that refuses the credentials. */
        public TasqueClient build() {
            if (uri == null && broker == null) {
                throw new IllegalStateException("no broker: call broker(\"redis://host:6379\") before build()");
            }
            return new TasqueClient(this);
        }
    }
}
