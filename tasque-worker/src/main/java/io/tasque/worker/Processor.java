package io.tasque.worker;

import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.Delivery;
import io.tasque.codec.Envelope;
import io.tasque.codec.TaskCodec;
import io.tasque.codec.UndecodablePayloadException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs leased jobs on {@code concurrency} threads: decodes each, calls its handler, catches every
 * {@link Throwable}, then acks on success, or schedules a retry after backoff, or dead-letters when attempts
 * or the TTL are used up. Hands out its free capacity as {@link Slots} so the fetcher never leases more than it
 * can start at once.
 */
final class Processor {

    private static final Logger log = LoggerFactory.getLogger(Processor.class);

    private final WorkerConfig config;
    private final Broker broker;
    private final TaskCodec codec;
    private final InFlight inFlight;
    private final WorkerMetrics metrics;
    private final BrokerHealth health;
    private final Slots slots;
    private final HandlerPool threads;
    private final ScheduledExecutorService timeouts;
    private final BrokerRetry retry;
    private final Acker acker;

    Processor(WorkerConfig config, Broker broker, InFlight inFlight, WorkerMetrics metrics, BrokerHealth health) {
        this.config = config;
        this.broker = broker;
        this.codec = broker.codec(Integer.MAX_VALUE);
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.health = health;
        this.slots = new Slots(config.concurrency(), Fetcher.LANES);
        this.threads = new HandlerPool(config.concurrency(), "tasque-handler-");
        this.timeouts = Executors.newSingleThreadScheduledExecutor(named("tasque-timeouts-", true));
        this.retry = new BrokerRetry(config.lease(), health);
        this.acker = new Acker(broker, retry);
    }

    void start() {
        threads.start();
        acker.start();
    }

    /**
     * Blocks until at least one handler thread is free, then takes up to {@code max} free slots. With
     * {@code lingerNanos} > 0 (the queue has a backlog, so nothing waits on this worker's speed but its own
     * throughput) it waits up to that long for half the slots to be free, so one reserve call fills many
     * slots instead of one; an idle queue never lingers, so a lone job is never held back. While it waits it
     * wakes more handler threads if queued jobs are stuck behind slow ones ({@link HandlerPool#nudge()}); only
     * lane 0 does that, so two lanes never count one wait twice.
     */
    int acquire(int lane, int max, long lingerNanos) throws InterruptedException {
        return slots.take(lane, max, Math.max(1, config.concurrency() / 2), lingerNanos, lane == 0 ? threads::nudge : () -> false);
    }

    /** The acker, so the fetcher can send waiting acks with its reserve call. */
    Acker acker() {
        return acker;
    }

    /** Returns slots the fetcher took but did not fill. */
    void giveBack(int n) {
        slots.release(n);
    }

    /**
     * Queues leased jobs for the handler threads; the caller holds a slot for each. They count as in flight
     * (their leases are renewed) from now on. With {@code fetcherReturnsSoon} false, every job wakes a thread
     * of its own, as the fetcher will not be back to {@link #nudge()} for a while.
     */
    void dispatch(List<Delivery> deliveries, boolean fetcherReturnsSoon) {
        List<Runnable> jobs = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            InFlight.Run run = inFlight.add(d);
            jobs.add(() -> {
                try {
                    run(run);
                } finally {
                    slots.release(1);
                }
            });
        }
        threads.execute(jobs, !fetcherReturnsSoon);
    }

    /** Wakes a handler thread for every queued job, before the fetcher blocks for long. */
    void wakeForEveryJob() {
        threads.wakeForEveryJob();
    }

    private void run(InFlight.Run run) {
        Delivery d = run.delivery;
        if (run.released) {
            return; // handed back during shutdown before it started
        }
        Handler handler = config.handlers().get(d.queue());
        long now = config.clock().millis();
        long deadline = handler != null && handler.timeout() != null ? now + handler.timeout().toMillis() : Long.MAX_VALUE;
        run.started(Thread.currentThread(), deadline);
        boolean handedToAcker = false;
        try {
            handedToAcker = process(d, handler, run);
        } catch (RuntimeException e) {
            log.error("job {} could not be settled; it will run again after its lease expires", d, e);
        } finally {
            if (!handedToAcker) {
                inFlight.remove(d);
            }
            Thread.interrupted();
        }
    }

    /** Runs one job to its outcome; returns true when the outcome is an ack now queued in the acker. */
    private boolean process(Delivery d, Handler handler, InFlight.Run run) {
        if (handler == null) {
            retry.call("release " + d, () -> broker.release(d));
            return false;
        }
        if (d.payload() == null) {
            bury(run, handler.name(), "payload missing: no job data stored for id " + d.id());
            return false;
        }
        Envelope envelope;
        try {
            envelope = codec.decode(d.payload());
        } catch (UndecodablePayloadException e) {
            bury(run, handler.name(), "undecodable payload: " + e.getMessage());
            return false;
        }
        if (!envelope.name().equals(d.queue())) {
            bury(run, handler.name(), "undecodable payload: task name '" + envelope.name() + "' does not match its queue '" + d.queue() + "'");
            return false;
        }
        if (d.attempt() > handler.maxAttempts()) {
            bury(run, handler.name(), d.leaseExpiries() > 0
                    ? "lease expired " + d.leaseExpiries() + " times (the worker running it died or hung); " + (d.attempt() - 1) + " attempts used"
                    : "attempts exhausted: " + (d.attempt() - 1) + " of " + handler.maxAttempts());
            return false;
        }
        long now = config.clock().millis();
        if (envelope.expiredAt(now)) {
            bury(run, handler.name(), "ttl expired before attempt " + d.attempt() + " could run");
            return false;
        }
        Task task;
        try {
            task = Task.received(envelope.name(), envelope.params(), d.id(), d.attempt());
        } catch (IllegalArgumentException e) {
            bury(run, handler.name(), "undecodable payload: " + e.getMessage());
            return false;
        }
        Throwable failure = runHandler(handler, task, run);
        if (run.released) {
            return false;
        }
        if (failure == null) {
            run.finished = true;
            acker.ack(d, (job, acked) -> {
                inFlight.remove(job);
                if (Boolean.TRUE.equals(acked)) {
                    metrics.outcome(handler.name(), WorkerMetrics.Outcome.SUCCEEDED);
                } else if (acked == null) {
                    log.warn("job {} finished, but its ack could not be sent; it runs again after its lease expires", job);
                } else if (run.markLost()) {
                    log.warn("job {} finished, but its lease had passed to another run; not acked here", job);
                }
            });
            return true;
        }
        String error = run.timedOut
                ? "timed out after " + handler.timeout() + " (handler interrupted)\n" + ErrorText.of(failure)
                : ErrorText.of(failure);
        Duration delay = handler.retryPolicy().delayAfter(d.attempt());
        long due = config.clock().millis() + delay.toMillis();
        if (d.attempt() >= handler.maxAttempts()) {
            bury(run, handler.name(), "failed " + d.attempt() + " of " + handler.maxAttempts() + " attempts; last error: " + error);
        } else if (envelope.expiresAt() > 0 && due >= envelope.expiresAt()) {
            bury(run, handler.name(), "ttl expires before the next attempt; last error: " + error);
        } else {
            boolean scheduled = retry.call("retry " + d, () -> broker.retry(d, due, error));
            if (scheduled) {
                metrics.outcome(handler.name(), WorkerMetrics.Outcome.RETRIED);
                log.info("job {} failed (attempt {} of {}), retry in {}: {}", d, d.attempt(), handler.maxAttempts(), delay, failure.toString());
            } else if (run.markLost()) {
                log.warn("job {} failed, but its lease had passed to another run; not retried here", d);
            }
        }
        return false;
    }

    private Throwable runHandler(Handler handler, Task task, InFlight.Run run) {
        ScheduledFuture<?> timer = null;
        if (handler.timeout() != null) {
            timer = timeouts.schedule(() -> {
                run.timedOut = true;
                run.thread.interrupt(); // set by started() before the handler runs
            }, handler.timeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        long start = System.nanoTime();
        try {
            handler.body().handle(task);
            return run.timedOut ? new InterruptedException("handler returned after its timeout") : null;
        } catch (Throwable t) {
            return t;
        } finally {
            if (timer != null) {
                timer.cancel(false);
            }
            Thread.interrupted();
            metrics.handlerTime(handler.name(), Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private void bury(InFlight.Run run, String task, String reason) {
        Delivery d = run.delivery;
        boolean buried = retry.call("dead-letter " + d, () -> broker.bury(d, reason));
        if (buried) {
            metrics.outcome(task, WorkerMetrics.Outcome.DEAD);
            log.warn("job {} dead-lettered: {}", d, firstLine(reason));
        } else if (run.markLost()) {
            log.warn("job {} not dead-lettered: its lease had passed to another run", d);
        }
    }

    /** Waits for running jobs to finish until {@code grace} has passed; true if all finished. */
    boolean awaitIdle(Duration grace) throws InterruptedException {
        return inFlight.awaitIdle(System.nanoTime() + grace.toNanos());
    }

    /** Hands every still-running job back to its queue (uncounted) and interrupts its handler. */
    void releaseRemaining() {
        for (InFlight.Run r : inFlight.snapshot()) {
            if (r.finished) {
                continue; // its handler succeeded; the acker settles it
            }
            r.released = true;
            try {
                if (broker.release(r.delivery)) {
                    log.info("job {} did not finish within the grace period; handed back to its queue", r.delivery);
                }
            } catch (BrokerException e) {
                log.warn("job {} could not be handed back ({}); it runs again after its lease expires", r.delivery, e.getMessage());
            }
            Thread t = r.thread;
            if (t != null) {
                t.interrupt();
            }
        }
    }

    void stop() {
        retry.stop();
        try {
            acker.stop(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.shutdownNow();
        timeouts.shutdownNow();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static ThreadFactory named(String prefix, boolean daemon) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(daemon);
            return t;
        };
    }
}
