package io.tasque.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.Brokers;
import io.tasque.broker.Cancelling;
import io.tasque.broker.Housekeeper;
import io.tasque.broker.LimitedReserve;
import io.tasque.broker.Scheduling;
import io.tasque.broker.WorkerDirectory;
import io.tasque.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of handler threads that runs the tasks of the names it handles, with at-least-once delivery:
 * a job is removed only after its handler returned normally; failures retry with backoff and end in the
 * dead letter. Build one with {@link #builder()}; {@link #run()} blocks until {@link #close()} or SIGTERM,
 * {@link #start()} returns at once.
 *
 * <pre>{@code
 * Worker worker = Worker.builder()
 *         .broker("redis://localhost:6379")
 *         .concurrency(10)
 *         .handle("foo", task -> log.info("foo: {}", task.param("text", String.class)))
 *         .build();
 * worker.run();
 * }</pre>
 */
public final class Worker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    /** Handler threads: 10. */
    public static final int DEFAULT_CONCURRENCY = 10;
    /** How long a fetched job is leased before it is redelivered, unless renewed: 30 s. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    /** How long close() lets running jobs finish before handing them back: 30 s. */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(30);
    /** How often expired leases are reclaimed: 5 s. */
    public static final Duration DEFAULT_JANITOR_INTERVAL = Duration.ofSeconds(5);
    /** Longest a fetch lane blocks on an idle broker before checking again: 2 s. */
    public static final Duration DEFAULT_IDLE_BLOCK = Duration.ofSeconds(2);
    /** Runs before a job is dead-lettered: 10. */
    public static final int DEFAULT_MAX_ATTEMPTS = WorkerConfig.DEFAULT_MAX_ATTEMPTS;

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    private final WorkerConfig config;
    private final Broker broker;
    private final InFlight inFlight = new InFlight();
    private final BrokerHealth health;
    private final LeaseLoop leaseLoop;
    /** Started in this order, stopped in reverse: the lease loop stops first, draining while leases are still renewed. */
    private final List<Component> components;
    private final Shutdown shutdown;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private State state = State.NEW;

    private Worker(WorkerConfig config) {
        this.config = config;
        this.broker = config.broker() != null ? config.broker() : Brokers.open(config.brokerUri(), config.brokerOptions());
        checkQueueNames(config, broker);
        checkLimits(config, broker);
        this.health = new BrokerHealth(broker.describe(), config.clock());
        this.health.onStop(() -> new Thread(this::close, "tasque-stop").start());
        WorkerMetrics metrics = new WorkerMetrics(config.meterRegistry(), inFlight::size, () -> isRunning() ? 1 : 0,
                () -> health().healthy() ? 1 : 0);
        health.onReconnect(metrics::reconnected);
        inFlight.onLeaseLost(d -> metrics.leaseLost(d.queue()));
        QueueQuarantine quarantine = new QueueQuarantine(config.queues(), health);
        ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(NamedThreads.named("tasque-timeouts-", true));
        this.leaseLoop = new LeaseLoop(config, broker, inFlight, metrics, health, quarantine, timeouts);
        List<Component> parts = new ArrayList<>();
        // first started, last stopped: the worker is listed while it drains, and unlisted once it is done
        broker.capability(WorkerDirectory.class).ifPresent(d -> parts.add(new WorkerRegistry(config, d, inFlight::size, health)));
        parts.add(new LeaseKeeper(config, broker, inFlight, health));
        broker.capability(Cancelling.class).ifPresent(c -> parts.add(new CancelWatch(c, inFlight, health)));
        // a broker that promotes due jobs and reclaims leases by itself (Disque) needs no janitor
        broker.capability(Housekeeper.class).ifPresent(h -> parts.add(new Janitor(config, h, health, quarantine)));
        // a broker that stores schedules lets every worker fire their ticks, each tick exactly once
        broker.capability(Scheduling.class).ifPresent(s -> parts.add(new ScheduleFirer(config, broker, s, health)));
        if (config.meterRegistry() != null) {
            parts.add(new QueueSampler(broker, config.queues(), config.meterRegistry(), health));
        }
        parts.add(leaseLoop);
        this.components = List.copyOf(parts);
        this.shutdown = new Shutdown(this);
    }

    /** A builder; {@code broker(…)} and at least one {@code handle(…)} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Refuses rate limits, caps and weights on a broker that cannot apply them (Disque), naming the task; a broker
     * opened here is closed again.
     */
    private static void checkLimits(WorkerConfig config, Broker broker) {
        if (broker.capability(LimitedReserve.class).isPresent()) {
            return;
        }
        for (Handler h : config.handlers().values()) {
            QueueLimits.Spec s = h.limits();
            if (s.limited() || s.weight() != 1) {
                if (config.broker() == null) {
                    broker.close();
                }
                throw new IllegalStateException("the broker " + broker.describe() + " cannot apply rate limits, maxRunning or weight"
                        + " (set on task '" + h.name() + "'): they need a Redis broker");
            }
        }
    }

    /** Every handled task name by the broker's rule; a broker opened here is closed again when one breaks it. */
    private static void checkQueueNames(WorkerConfig config, Broker broker) {
        try {
            config.queues().forEach(broker::checkQueueName);
        } catch (IllegalArgumentException e) {
            if (config.broker() == null) {
                broker.close();
            }
            throw e;
        }
    }

    /**
     * Starts the worker's threads and returns; idempotent. A broker that refuses the worker (wrong password,
     * missing ACL permission) fails this at once; one that does not answer yet does not: the worker starts,
     * reports it unreachable in {@link #health()} and keeps trying, so a worker may start before its Redis.
     *
     * @throws BrokerException of kind {@link BrokerException.Kind#REFUSED} if the broker refuses the worker
     */
    public synchronized Worker start() {
        if (state != State.NEW) {
            return this;
        }
        checkBroker();
        state = State.RUNNING;
        if (config.shutdownHook()) {
            shutdown.register();
        }
        for (Component c : components) {
            c.start();
        }
        log.info("tasque worker started: {}", config.describe());
        return this;
    }

    private void checkBroker() {
        try {
            broker.ping();
            health.ok();
        } catch (BrokerException e) {
            if (e.kind() != BrokerException.Kind.REFUSED) {
                health.failed("start", e);
                return;
            }
            state = State.STOPPING;
            finish();
            String reason = e.getMessage().startsWith(e.broker() + ": ") ? e.getMessage().substring(e.broker().length() + 2) : e.getMessage();
            throw new BrokerException(e.broker(), BrokerException.Kind.REFUSED,
                    "worker not started, the broker refused it (" + reason + "); check the user's ACL/password", e);
        }
    }

    /**
     * Starts the worker and blocks until it has been closed (by {@link #close()} or SIGTERM). If the calling
     * thread is interrupted, the worker is closed gracefully and the interrupt flag is kept.
     */
    public void run() {
        start();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            close(); // with the interrupt consumed, so the graceful close can wait for running jobs
            Thread.currentThread().interrupt();
        }
    }

    /** Stops fetching new jobs; running jobs go on. Idempotent. The first step of {@link #close()}. */
    public void quiet() {
        leaseLoop.quiet();
    }

    /**
     * Graceful stop: quiet, let running jobs finish within the grace period, hand back the unfinished ones to
     * their queue (without counting the attempt), and close the connections. Idempotent; blocks until done.
     * A run whose own handler called System.exit is not handed back but counted as a failed attempt.
     */
    @Override
    public void close() {
        State was;
        synchronized (this) {
            was = state;
            if (was != State.STOPPING && was != State.STOPPED) {
                state = State.STOPPING;
            }
        }
        if (was == State.STOPPING || was == State.STOPPED) {
            // outside the lock: the thread that is closing needs it to finish
            awaitQuietly();
            return;
        }
        if (was != State.RUNNING) {
            finish();
            return;
        }
        log.info("tasque worker stopping: {} job(s) running, grace period {}", inFlight.size(), config.gracePeriod());
        stopComponents();
        shutdown.unregister();
        finish();
    }

    /**
     * Stops the components in reverse order, sharing one grace period: the lease loop first (quiet, running jobs
     * finish within the grace, the rest are handed back, queued acks are sent), then the janitor and the lease
     * keeper, which get what is left of the grace for a turn in progress.
     */
    private void stopComponents() {
        long deadline = System.nanoTime() + config.gracePeriod().toNanos();
        for (int i = components.size() - 1; i >= 0; i--) {
            Component c = components.get(i);
            if (!c.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                log.debug("{} did not stop within the grace period; its threads end on their own", c.getClass().getSimpleName());
            }
        }
    }

    private void finish() {
        if (config.broker() == null) {
            broker.close();
        }
        synchronized (this) {
            state = State.STOPPED;
        }
        stopped.countDown();
        log.info("tasque worker stopped");
    }

    private void awaitQuietly() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Jobs running right now. */
    public int inFlight() {
        return inFlight.size();
    }

    /** True between start() and the end of close(). */
    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /**
     * The worker's health, for an application's health check: whether it runs, whether its broker answers and
     * accepts it, what is wrong now (null when nothing is) and since when.
     */
    public WorkerHealth health() {
        return health.snapshot(isRunning());
    }

    /** The broker URI without credentials. */
    public String broker() {
        return broker.describe();
    }

    /** Worker settings with named defaults; every setter checks its value and names it in the error. */
    public static final class Builder {
        private String brokerUri;
        private Broker broker;
        private BrokerOptions brokerOptions = BrokerOptions.defaults();
        private int concurrency = DEFAULT_CONCURRENCY;
        private final Map<String, TaskHandler> handlers = new LinkedHashMap<>();
        private final Map<String, HandlerOptions> handlerOptions = new LinkedHashMap<>();
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration lease = DEFAULT_LEASE;
        private Duration heartbeat;
        private Duration gracePeriod = DEFAULT_GRACE_PERIOD;
        private Duration janitorInterval = DEFAULT_JANITOR_INTERVAL;
        private Duration idleBlock = DEFAULT_IDLE_BLOCK;
        private MeterRegistry meterRegistry;
        private Clock clock = Clock.systemUTC();
        private boolean shutdownHook = true;
        private final List<HandlerInterceptor> interceptors = new ArrayList<>();
        private ObservationRegistry observationRegistry;

        /** The broker URI: {@code redis://[user:password@]host:port[/db]} or {@code rediss://…}. */
        public Builder broker(String uri) {
            BrokerUri.parse(uri);
            this.brokerUri = uri;
            return this;
        }

        /** Uses an already open broker; the worker leaves it open on close. */
        public Builder broker(Broker broker) {
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        /** Connection settings (timeouts, pool size, key prefix). */
        public Builder brokerOptions(BrokerOptions options) {
            this.brokerOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** How many handlers may run at once (default 10). */
        public Builder concurrency(int n) {
            if (n < 1 || n > 10_000) {
                throw new IllegalArgumentException("concurrency must be 1..10000, was " + n);
            }
            this.concurrency = n;
            return this;
        }

        /** Registers the handler for tasks named {@code name}; the worker then fetches that queue. */
        public Builder handle(String name, TaskHandler handler) {
            return handle(name, handler, HandlerOptions.INHERIT);
        }

        /**
         * Registers a handler with its own retry policy, attempt limit or timeout. The name is checked here by the
         * rule every broker applies ({@link Task#checkBaseName}) and by the broker's own rule at {@link #build()}
         * (Redis: no whitespace or braces).
         */
        public Builder handle(String name, TaskHandler handler, HandlerOptions options) {
            Task.checkBaseName(name);
            Objects.requireNonNull(handler, "handler for '" + name + "'");
            if (handlers.containsKey(name)) {
                throw new IllegalArgumentException("a handler for '" + name + "' is already registered");
            }
            handlers.put(name, handler);
            handlerOptions.put(name, Objects.requireNonNull(options, "options"));
            return this;
        }

        /** The default retry backoff for every handler (default 1 s, ×2, capped at 10 s). */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        /** Shorthand for an exponential {@link #retryPolicy}. */
        public Builder retryBackoff(Duration initial, double multiplier, Duration max) {
            return retryPolicy(RetryPolicy.exponential(initial, multiplier, max));
        }

        /** Runs before a job is dead-lettered, for every handler (default 10). */
        public Builder maxAttempts(int n) {
            this.maxAttempts = WorkerConfig.checkMaxAttempts(n);
            return this;
        }

        /** How long a fetched job stays leased without a heartbeat (default 30 s). */
        public Builder lease(Duration lease) {
            WorkerConfig.atLeastOneMilli("lease", lease);
            if (lease.toMillis() < 100) {
                throw new IllegalArgumentException("lease must be >= 100 ms, was " + lease);
            }
            this.lease = lease;
            return this;
        }

        /** How often leases of running jobs are renewed (default a third of the lease). */
        public Builder heartbeat(Duration every) {
            this.heartbeat = WorkerConfig.atLeastOneMilli("heartbeat", every);
            return this;
        }

        /** How long close() waits for running jobs before handing them back (default 30 s). */
        public Builder gracePeriod(Duration grace) {
            if (grace == null || grace.isNegative()) {
                throw new IllegalArgumentException("gracePeriod must be >= 0, was " + grace);
            }
            this.gracePeriod = grace;
            return this;
        }

        /** How often expired leases are reclaimed and due jobs promoted (default 5 s). */
        public Builder janitorInterval(Duration every) {
            this.janitorInterval = WorkerConfig.atLeastOneMilli("janitorInterval", every);
            return this;
        }

        /** Longest single block on an idle broker (default 2 s); shorter means faster shutdown, more commands. */
        public Builder idleBlock(Duration block) {
            this.idleBlock = WorkerConfig.atLeastOneMilli("idleBlock", block);
            return this;
        }

        /** Publishes job counters, handler timings and the in-flight gauge to this registry. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /** The clock lease deadlines and retry times are taken from (a test's manual clock; the system's by default). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Whether to drain on SIGTERM through a JVM shutdown hook (default true). */
        public Builder shutdownHook(boolean enabled) {
            this.shutdownHook = enabled;
            return this;
        }

        /**
         * Adds an interceptor around every handler run of this worker; the first one added is the outermost. See
         * {@link HandlerInterceptor} for how its return and its exceptions decide the run.
         */
        public Builder intercept(HandlerInterceptor interceptor) {
            this.interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Observes every handler run with {@code registry} (Micrometer Observation): one observation
         * {@code tasque.process} per run, of kind consumer, with the low-cardinality key {@code tasque.task} and the
         * high-cardinality keys {@code tasque.job} and {@code tasque.attempt}; a failed run is its error. With a
         * tracing handler on the registry, the run continues the trace whose context the submitting client put in
         * the task's headers (W3C {@code traceparent} with OpenTelemetry), so a submit and the run it caused are one
         * trace. It is the outermost interceptor. Without a registry (the default) nothing is observed.
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Validates and fixes the configuration; handlers cannot be added later.
         *
         * @throws IllegalStateException if no broker or no handler was given, or the heartbeat is not shorter than the lease
         */
        public Worker build() {
            return new Worker(config());
        }

        /** The validated, fixed settings {@link #build()} makes a worker of; its components can be built from them alone. */
        WorkerConfig config() {
            if (brokerUri == null && broker == null) {
                throw new IllegalStateException("no broker: call broker(\"redis://host:6379\") before build()");
            }
            if (handlers.isEmpty()) {
                throw new IllegalStateException("no handlers: call handle(name, task -> …) at least once before build()");
            }
            Duration beat = heartbeat != null ? heartbeat : lease.dividedBy(3);
            if (beat.compareTo(lease) >= 0) {
                throw new IllegalStateException("heartbeat " + beat + " must be shorter than the lease " + lease);
            }
            List<HandlerInterceptor> chain = new ArrayList<>();
            HandlerObservation observation = HandlerObservation.of(observationRegistry);
            if (observation != null) {
                chain.add(observation);
            }
            chain.addAll(interceptors);
            Map<String, Handler> fixed = new LinkedHashMap<>();
            for (Map.Entry<String, TaskHandler> e : handlers.entrySet()) {
                HandlerOptions o = handlerOptions.get(e.getKey());
                fixed.put(e.getKey(), new Handler(e.getKey(), InterceptedHandler.around(chain, e.getValue()),
                        o.retryPolicy() != null ? o.retryPolicy() : retryPolicy,
                        o.maxAttempts() != null ? o.maxAttempts() : maxAttempts,
                        o.timeout(), o.noRetryOn(), o.stuckGrace(), o.limits()));
            }
            BrokerOptions options = brokerOptions.toBuilder().clock(clock)
                    .poolSize(Math.max(brokerOptions.poolSize(), Math.min(concurrency + 4, 64))).build();
            return new WorkerConfig(brokerUri, broker, options, concurrency, Collections.unmodifiableMap(fixed),
                    lease, beat, gracePeriod, janitorInterval, idleBlock, meterRegistry, clock, shutdownHook);
        }
    }
}
