package io.tasque.worker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.QueueStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the depth of the worker's queues for the {@code tasque.queue.jobs{task,state=ready|delayed|running|dead}}
 * gauges: every {@link #EVERY} one stats call per queue, whose numbers the gauges then show however often they are
 * scraped (a scrape never calls the broker). Only with a meter registry.
 */
final class QueueSampler implements Component {

    /** How often the queues are counted. */
    static final Duration EVERY = Duration.ofSeconds(15);

    private final Broker broker;
    private final List<String> queues;
    private final MeterRegistry registry;
    private final TimerLoop timer;
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

    QueueSampler(Broker broker, List<String> queues, MeterRegistry registry, BrokerHealth health) {
        this.broker = broker;
        this.queues = queues;
        this.registry = registry;
        this.timer = new TimerLoop("tasque-queue-sampler-", "queue sampler", health);
    }

    @Override
    public void start() {
        timer.every(Duration.ZERO, EVERY, () -> {
            try {
                sample();
            } catch (BrokerException e) {
                // an outage is the fetch loop's to report; the gauges keep their last numbers
            }
        });
    }

    /** Counts every queue once and sets its gauges (registering them the first time). */
    void sample() {
        for (String q : queues) {
            QueueStats s = broker.stats(q);
            set(q, "ready", s.ready());
            set(q, "delayed", s.delayed());
            set(q, "running", s.inFlight());
            set(q, "dead", s.dead());
        }
    }

    private void set(String queue, String state, long value) {
        values.computeIfAbsent(queue + '\n' + state, k -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("tasque.queue.jobs", v, AtomicLong::get).description("jobs of a queue by state, counted every 15 s")
                    .tag("task", queue).tag("state", state).register(registry);
            return v;
        }).set(value);
    }

    @Override
    public boolean stop(Duration grace) {
        return timer.stop(grace);
    }
}
