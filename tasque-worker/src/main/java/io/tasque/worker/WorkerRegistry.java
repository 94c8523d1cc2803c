package io.tasque.worker;

import io.tasque.broker.BrokerException;
import io.tasque.broker.WorkerBeat;
import io.tasque.broker.WorkerDirectory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the broker this worker is alive, so an operator's view (the dashboard) can list the workers: at start and
 * then every {@link #DEFAULT_EVERY} writes the worker's entry (host, pid, concurrency, running jobs, queues, heartbeat,
 * start time) into the broker's {@link WorkerDirectory}, and removes it on stop. Only for a broker with that
 * capability. A failed write is logged once and tried again on the next turn; the worker's jobs never wait on it.
 */
final class WorkerRegistry implements Component {

    private static final Logger log = LoggerFactory.getLogger(WorkerRegistry.class);

    /** How often the entry is written: 5 s. A reader takes an entry 60 s old for a worker that is gone. */
    static final Duration DEFAULT_EVERY = Duration.ofSeconds(5);

    private final String id;
    private final WorkerConfig config;
    private final WorkerDirectory directory;
    private final IntSupplier running;
    private final BrokerHealth health;
    private final Duration every;
    private final TimerLoop timer;
    private final String host = hostName();
    private final long pid = ProcessHandle.current().pid();
    private volatile long startedMillis;
    private volatile boolean started;

    WorkerRegistry(WorkerConfig config, WorkerDirectory directory, IntSupplier running, BrokerHealth health) {
        this(config, directory, running, health, DEFAULT_EVERY);
    }

    WorkerRegistry(WorkerConfig config, WorkerDirectory directory, IntSupplier running, BrokerHealth health, Duration every) {
        this.config = config;
        this.directory = directory;
        this.running = running;
        this.health = health;
        this.every = WorkerConfig.atLeastOneMilli("registry interval", every);
        this.timer = new TimerLoop("tasque-registry-", "worker registry", health);
        // host and pid make it readable; the random part keeps two workers of one process apart
        this.id = host + ":" + pid + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** This worker's id in the directory. */
    String id() {
        return id;
    }

    @Override
    public void start() {
        startedMillis = config.clock().millis();
        started = true;
        timer.every(Duration.ZERO, every, this::beat);
    }

    /** Writes this worker's entry once. */
    void beat() {
        WorkerBeat entry = new WorkerBeat(host, pid, config.concurrency(), running.getAsInt(), config.queues(),
                config.clock().millis(), startedMillis);
        try {
            directory.beat(id, entry.json());
            health.ok();
        } catch (BrokerException e) {
            health.failed("worker registry", e);
        }
    }

    /** Stops the timer and removes this worker's entry (one try: an entry left behind goes stale and is dropped). */
    @Override
    public boolean stop(Duration grace) {
        boolean ended = timer.stop(grace);
        if (started) {
            started = false;
            try {
                directory.removeWorker(id);
            } catch (RuntimeException e) {
                log.warn("could not remove worker {} from the broker's worker list ({}); it shows as gone after 60 s", id, e.toString());
            }
        }
        return ended;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env != null && !env.isBlank() ? env : "unknown-host";
        }
    }
}
