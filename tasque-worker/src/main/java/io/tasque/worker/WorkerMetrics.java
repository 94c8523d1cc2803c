package io.tasque.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The worker's Micrometer meters, or nothing when no registry was given:
 * {@code tasque.jobs{task,outcome=succeeded|retried|dead|cancelled}} counters, the {@code tasque.handler.duration{task}}
 * timer, the {@code tasque.handler.stuck{task}} counter (runs declared stuck: they ignored their timeout's
 * interrupt), the {@code tasque.jobs.inflight} gauge, the {@code tasque.worker.up} and {@code tasque.worker.healthy}
 * gauges (1 or 0), the {@code tasque.lease.lost{task}} counter (runs whose lease the broker refused: another worker
 * took the job), the {@code tasque.broker.reconnects} counter (the broker back after an outage or a refusal), and the
 * {@code tasque.queue.jobs{task,state}} gauges that {@link QueueSampler} fills.
 */
final class WorkerMetrics {

    enum Outcome { SUCCEEDED, RETRIED, DEAD, CANCELLED }

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> stuck = new ConcurrentHashMap<>();

    private final Map<String, Counter> lost = new ConcurrentHashMap<>();
    private final Counter reconnects;

    WorkerMetrics(MeterRegistry registry, Supplier<Number> inFlight) {
        this(registry, inFlight, () -> 1, () -> 1);
    }

    WorkerMetrics(MeterRegistry registry, Supplier<Number> inFlight, Supplier<Number> up, Supplier<Number> healthy) {
        this.registry = registry;
        if (registry != null) {
            Gauge.builder("tasque.jobs.inflight", inFlight).description("jobs running in this worker").register(registry);
            Gauge.builder("tasque.worker.up", up).description("1 while the worker runs").register(registry);
            Gauge.builder("tasque.worker.healthy", healthy)
                    .description("1 while the worker runs, reaches its broker and reports no error").register(registry);
            reconnects = Counter.builder("tasque.broker.reconnects")
                    .description("times the broker was back after an outage or a refusal").register(registry);
        } else {
            reconnects = null;
        }
    }

    void reconnected() {
        if (reconnects != null) {
            reconnects.increment();
        }
    }

    void leaseLost(String task) {
        if (registry == null) {
            return;
        }
        lost.computeIfAbsent(task, k -> Counter.builder("tasque.lease.lost")
                .description("runs whose lease the broker refused (it expired and another worker took the job)").tag("task", task)
                .register(registry)).increment();
    }

    /** The registry, for {@link QueueSampler}'s gauges; null when metrics are off. */
    MeterRegistry registry() {
        return registry;
    }

    void outcome(String task, Outcome outcome) {
        if (registry == null) {
            return;
        }
        String tag = outcome.name().toLowerCase(java.util.Locale.ROOT);
        counters.computeIfAbsent(task + '\n' + tag, k -> Counter.builder("tasque.jobs")
                .description("finished runs by outcome").tag("task", task).tag("outcome", tag).register(registry))
                .increment();
    }

    void stuck(String task) {
        if (registry == null) {
            return;
        }
        stuck.computeIfAbsent(task, k -> Counter.builder("tasque.handler.stuck")
                .description("runs that ignored their timeout's interrupt and were given up").tag("task", task).register(registry))
                .increment();
    }

    void handlerTime(String task, Duration d) {
        if (registry == null) {
            return;
        }
        timers.computeIfAbsent(task, k -> Timer.builder("tasque.handler.duration")
                .description("time spent in the handler").tag("task", task).register(registry))
                .record(d);
    }
}
