package io.tasque.client;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client's Micrometer meters, or nothing without a registry: {@code tasque.submits{task,outcome=stored|failed}}
 * counts jobs ({@code submitAll} counts each of its jobs), {@code tasque.submit.duration{task}} times each
 * {@code submit} and {@code submitAll} call (a {@code submitAll} of several task names is timed as {@code (several)}).
 */
final class SubmitMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    SubmitMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    boolean on() {
        return registry != null;
    }

    void record(String task, long startNanos, int jobs, boolean stored) {
        if (registry == null) {
            return;
        }
        timers.computeIfAbsent(task, t -> Timer.builder("tasque.submit.duration").description("time of a submit or submitAll call")
                .tag("task", t).register(registry)).record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        String outcome = stored ? "stored" : "failed";
        counters.computeIfAbsent(task + '\n' + outcome, k -> Counter.builder("tasque.submits").description("jobs submitted, by outcome")
                .tag("task", task).tag("outcome", outcome).register(registry)).increment(jobs);
    }
}
