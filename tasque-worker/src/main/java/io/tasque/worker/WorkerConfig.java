package io.tasque.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The immutable, validated settings of one {@link Worker}, as {@link Worker.Builder#build()} fixed them. */
record WorkerConfig(
        String brokerUri,
        Broker broker,
        BrokerOptions brokerOptions,
        int concurrency,
        Map<String, Handler> handlers,
        Duration lease,
        Duration heartbeat,
        Duration gracePeriod,
        Duration janitorInterval,
        Duration idleBlock,
        MeterRegistry meterRegistry,
        Clock clock,
        boolean shutdownHook) {

    /** Runs before a job is dead-lettered: 10. */
    static final int DEFAULT_MAX_ATTEMPTS = 10;

    List<String> queues() {
        return List.copyOf(handlers.keySet());
    }

    static int checkMaxAttempts(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + n);
        }
        return n;
    }

    /** {@code d} if it is at least 1 ms; a shorter, zero, negative or missing duration is refused naming {@code what}. */
    static Duration atLeastOneMilli(String what, Duration d) {
        if (d == null || d.toMillis() < 1) {
            throw new IllegalArgumentException(what + " must be >= 1 ms, was " + d);
        }
        return d;
    }

    /** The effective settings for the start log line; the broker without credentials. */
    String describe() {
        return "broker=" + (broker != null ? broker.describe() : BrokerUri.parse(brokerUri)) + ", concurrency=" + concurrency
                + ", handlers=" + handlers.keySet() + ", lease=" + lease + ", heartbeat=" + heartbeat
                + ", gracePeriod=" + gracePeriod + ", janitorInterval=" + janitorInterval
                + ", retry=" + describeRetry() + ", metrics=" + (meterRegistry != null);
    }

    /** As {@link #describe()}: a record's own toString would print the broker URI with its password. */
    @Override
    public String toString() {
        return describe();
    }

    private String describeRetry() {
        StringBuilder b = new StringBuilder();
        for (Handler h : handlers.values()) {
            b.append(b.length() == 0 ? "" : "; ").append(h.name()).append(": ").append(h.retryPolicy())
                    .append(" maxAttempts=").append(h.maxAttempts())
                    .append(h.timeout() == null ? "" : " timeout=" + h.timeout())
                    .append(h.noRetryOn().isEmpty() ? "" : " noRetryOn=" + h.noRetryOn().stream().map(Class::getSimpleName).toList());
        }
        return b.toString();
    }
}
