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
 * interrupt) and the {@code tasque.jobs.inflight} gauge.
 */
final class WorkerMetrics {

    enum Outcome { SUCCEEDED, RETRIED, DEAD, CANCELLED }

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> stuck = new ConcurrentHashMap<>();

    WorkerMetrics(MeterRegistry registry, Supplier<Number> inFlight) {
        this.registry = registry;
        if (registry != null) {
            Gauge.builder("tasque.jobs.inflight", inFlight).description("jobs running in this worker").register(registry);
        }
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
