package io.tasque.reliability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.worker.HandlerOptions;
import io.tasque.worker.Worker;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The main of a worker process that the fault scenarios start, kill and freeze: one tasque {@link Worker}
 * configured by {@link ChildSettings}, whose handler does what {@link Behaviour} says and then records the
 * completion in the {@link Ledger}. Prints {@value #READY} once the worker runs, publishes its ack and
 * dead-letter totals and its jobs in flight every 200 ms, and halts when its parent goes away (its stdin closes).
 */
public final class ChildWorker {

    /** The line a child prints on stdout once its worker has started. */
    static final String READY = "child worker ready";

    private ChildWorker() {
    }

    public static void main(String[] args) throws Exception {
        ChildSettings s = ChildSettings.parse(args);
        Ledger ledger = Ledger.connect(s.ledgerUri(), s.concurrency() + 2, Duration.ofSeconds(2));
        Behaviour behaviour = new Behaviour(s.name(), s.sleepMillis());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        BrokerOptions options = BrokerOptions.builder().commandTimeout(s.commandTimeout())
                .connectTimeout(s.commandTimeout()).build();
        Worker.Builder builder = Worker.builder();
        if (s.failEvery() > 0) {
            Broker real = Brokers.open(s.redisUri(), options.toBuilder().poolSize(s.concurrency() + 4).build());
            builder.broker(FaultyBroker.wrap(real, s.failEvery()));
        } else if (s.haltsAfterClaim()) {
            builder.broker(ClaimHalt.wrap(Brokers.open(s.redisUri(), options)));
        } else {
            builder.broker(s.redisUri()).brokerOptions(options);
        }
        builder
                .concurrency(s.concurrency())
                .lease(s.lease())
                .heartbeat(s.heartbeat())
                .janitorInterval(s.janitorInterval())
                .maxAttempts(s.maxAttempts())
                .retryBackoff(s.retryInitial(), 2, s.retryInitial().multipliedBy(10))
                .meterRegistry(meters);
        for (String taskName : s.tasks()) {
            HandlerOptions.Builder handlerOptions = s.limitOptions(HandlerOptions.builder());
            if (s.timeout() != null) {
                handlerOptions.timeout(s.timeout());
            }
            builder.handle(taskName, task -> {
                long start = System.currentTimeMillis();
                if (s.journal()) {
                    ledger.started(s.name(), task.id(), task.attempt());
                }
                behaviour.apply(task);
                if (s.timing()) {
                    ledger.span(s.name(), task.id(), start, System.currentTimeMillis());
                }
                ledger.completed(s.name(), task.id(), task.attempt(), s.journal());
            }, handlerOptions.build());
        }
        Worker worker = builder.build();
        worker.start();
        publishOutcomes(s.name(), worker, meters, ledger);
        System.out.println(READY);
        System.out.flush();
        haltWhenParentGoes();
    }

    private static void publishOutcomes(String name, Worker worker, MeterRegistry meters, Ledger ledger) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ledger-publisher");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                ledger.publishOutcomes(name, count(meters, "succeeded"), count(meters, "dead"), worker.inFlight());
            } catch (RuntimeException brokerDown) {
                // published again on the next turn
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
    }

    private static long count(MeterRegistry meters, String outcome) {
        return (long) meters.find("tasque.jobs").tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /** Blocks reading stdin; the parent holds the other end, so end of input means the parent died. */
    private static void haltWhenParentGoes() {
        try {
            while (System.in.read() >= 0) {
                // the parent never writes; keep waiting
            }
        } catch (IOException e) {
            // the pipe broke: the parent is gone
        }
        Runtime.getRuntime().halt(0);
    }
}
