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
        this(config, broker, inFlight, metrics, health, Executors.newSingleThreadScheduledExecutor(named("tasque-timeouts-", true)));
    }

    /** With the scheduler that runs handler timeouts given, so a test can fire them when it chooses. */
    Processor(WorkerConfig config, Broker broker, InFlight inFlight, WorkerMetrics metrics, BrokerHealth health,
            ScheduledExecutorService timeouts) {
        this.config = config;
        this.broker = broker;
        this.codec = broker.codec(Integer.MAX_VALUE);
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.health = health;
        this.slots = new Slots(config.concurrency(), Fetcher.LANES);
        this.threads = new HandlerPool(config.concurrency(), "tasque-handler-");
        this.timeouts = timeouts;
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
                    giveBackSlot(run);
                }
            });
        }
        threads.execute(jobs, !fetcherReturnsSoon);
    }

    /** Wakes a handler thread for every queued job, before the fetcher blocks for long. */
    void wakeForEveryJob() {
        threads.wakeForEveryJob();
    }

    private void giveBackSlot(InFlight.Run run) {
        if (run.giveBackSlot()) {
            slots.release(1);
        }
    }

    private void run(InFlight.Run run) {
        Delivery d = run.delivery;
        Handler handler = config.handlers().get(d.queue());
        long now = config.clock().millis();
        long deadline = handler != null && handler.timeout() != null ? now + handler.timeout().toMillis() : Long.MAX_VALUE;
        if (!run.start(Thread.currentThread(), deadline)) {
            inFlight.remove(run); // handed back during shutdown before it started
            return;
        }
        boolean handedToAcker = false;
        try {
            handedToAcker = process(d, handler, run);
        } catch (RuntimeException e) {
            log.error("job {} could not be settled; it will run again after its lease expires", d, e);
        } finally {
            if (!handedToAcker && !run.abandoned) {
                inFlight.remove(run); // an abandoned run is removed by whoever settled it
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
        run.expiresAtMillis = envelope.expiresAt();
        Throwable failure = runHandler(handler, task, run);
        if (run.abandoned) {
            log.warn("handler of job {} (task {}) returned after it was declared stuck, {} ms after it started; its outcome is not "
                    + "recorded, as the run was already settled as a failed attempt (it ended with: {})", d, handler.name(),
                    (System.nanoTime() - run.handlerStartNanos) / 1_000_000, failure == null ? "success" : failure.toString());
            return false;
        }
        if (run.released) {
            return false;
        }
        if (failure == null) {
            if (!run.finish()) {
                return false;
            }
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
        String permanent = permanentFailure(handler, failure);
        if (permanent != null) {
            bury(run, handler.name(), permanent);
            return false;
        }
        String summary = run.timedOut ? "timed out after " + handler.timeout() + " (handler interrupted)" : failure.toString();
        String error = run.timedOut ? summary + "\n" + ErrorText.of(failure) : ErrorText.of(failure);
        failedAttempt(run, handler, error, summary);
        return false;
    }

    /**
     * The dead-letter reason when {@code failure} says the job can never succeed: a {@link PermanentFailure} thrown
     * or found among its causes, or a type the handler lists in {@code noRetryOn}; null for a failure to retry.
     */
    private static String permanentFailure(Handler handler, Throwable failure) {
        Throwable cur = failure;
        for (int depth = 0; cur != null && depth < 16; depth++) {
            if (cur instanceof PermanentFailure) {
                return "permanent failure: " + cur.getMessage() + "\n" + ErrorText.of(failure);
            }
            cur = cur.getCause() == cur ? null : cur.getCause();
        }
        for (Class<? extends Throwable> type : handler.noRetryOn()) {
            if (type.isInstance(failure)) {
                return "permanent failure: " + failure + " (no retry on " + type.getName() + ")\n" + ErrorText.of(failure);
            }
        }
        return null;
    }

    /**
     * Settles a failed run: a retry after backoff, or the dead letter when it was the last attempt or the TTL ends
     * before the next one. {@code error} is stored with the job; {@code summary} is its one-line form for the log.
     */
    private void failedAttempt(InFlight.Run run, Handler handler, String error, String summary) {
        Delivery d = run.delivery;
        Duration delay = handler.retryPolicy().delayAfter(d.attempt());
        long due = config.clock().millis() + delay.toMillis();
        long expiresAt = run.expiresAtMillis;
        if (d.attempt() >= handler.maxAttempts()) {
            bury(run, handler.name(), "failed " + d.attempt() + " of " + handler.maxAttempts() + " attempts; last error: " + error);
        } else if (expiresAt > 0 && due >= expiresAt) {
            bury(run, handler.name(), "ttl expires before the next attempt; last error: " + error);
        } else {
            boolean scheduled = retry.call("retry " + d, () -> broker.retry(d, due, error));
            if (scheduled) {
                metrics.outcome(handler.name(), WorkerMetrics.Outcome.RETRIED);
                log.info("job {} failed (attempt {} of {}), retry in {}: {}", d, d.attempt(), handler.maxAttempts(), delay, summary);
            } else if (run.markLost()) {
                log.warn("job {} failed, but its lease had passed to another run; not retried here", d);
            }
        }
    }

    private Throwable runHandler(Handler handler, Task task, InFlight.Run run) {
        ScheduledFuture<?> timer = null;
        run.enterHandler();
        if (handler.timeout() != null) {
            timer = timeouts.schedule(() -> timeUp(run, handler), handler.timeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        long start = System.nanoTime();
        Throwable failure = null;
        try {
            handler.body().handle(task);
        } catch (Throwable t) {
            failure = t;
        } finally {
            run.leaveHandler(); // no interrupt for this run after this point...
            Thread.interrupted(); // ...and none left over from it
            if (timer != null) {
                timer.cancel(false);
            }
            metrics.handlerTime(handler.name(), Duration.ofNanos(System.nanoTime() - start));
        }
        if (failure == null && run.timedOut) {
            return new InterruptedException("handler returned after its timeout");
        }
        return failure;
    }

    /** The run's timeout: interrupts its handler if still running, then gives it the stuck grace to return. */
    private void timeUp(InFlight.Run run, Handler handler) {
        try {
            if (run.interruptForTimeout()) {
                timeouts.schedule(() -> checkStuck(run, handler), handler.stuckGrace().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Throwable t) {
            log.error("timeout of job {} could not be handled", run.delivery, t);
        }
    }

    /**
     * Declares a run stuck if its handler still has not returned a stuck grace after its timeout's interrupt: its
     * thread is replaced by a fresh one, which settles the run as a failed attempt and then takes other jobs.
     */
    private void checkStuck(InFlight.Run run, Handler handler) {
        try {
            Thread stuck = run.thread;
            run.abandon(() -> threads.replace(stuck, () -> settleStuck(run, handler, stuck)));
        } catch (Throwable t) {
            log.error("stuck check of job {} failed", run.delivery, t);
        }
    }

    private void settleStuck(InFlight.Run run, Handler handler, Thread stuck) {
        try {
            long ranMillis = (System.nanoTime() - run.handlerStartNanos) / 1_000_000;
            metrics.stuck(handler.name());
            log.warn("job {} (task {}) is stuck: its handler has been running for {} ms and ignored the interrupt at its timeout of {}; "
                    + "the run counts as a failed attempt and thread {} is replaced", run.delivery, handler.name(), ranMillis,
                    handler.timeout(), stuck.getName());
            String summary = "handler stuck: it ignored the interrupt at its timeout of " + handler.timeout()
                    + " and had not returned " + handler.stuckGrace() + " later";
            failedAttempt(run, handler, summary + "\nthread " + stuck.getName() + " was at:" + frames(stuck.getStackTrace(), 0), summary);
        } finally {
            inFlight.remove(run);
            giveBackSlot(run);
        }
    }

    /** Up to {@link ErrorText#MAX_FRAMES} frames from {@code from}, one per line. */
    private static String frames(StackTraceElement[] stack, int from) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < Math.min(stack.length, from + ErrorText.MAX_FRAMES); i++) {
            b.append("\n\tat ").append(stack[i]);
        }
        return b.toString();
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

    /**
     * Waits for running jobs to finish until {@code grace} has passed; true if all finished. A run whose handler
     * is itself exiting the process is settled first, as it never will finish.
     */
    boolean awaitIdle(Duration grace) throws InterruptedException {
        settleRunsExitingTheProcess();
        return inFlight.awaitIdle(System.nanoTime() + grace.toNanos());
    }

    /**
     * Hands every still-running job back to its queue (uncounted) and interrupts its handler. A run whose handler
     * called System.exit is not handed back but settled as a failed attempt: run again, it would exit again.
     */
    void releaseRemaining() {
        settleRunsExitingTheProcess();
        for (InFlight.Run r : inFlight.snapshot()) {
            InFlight.Run.Released how = r.release();
            if (how == InFlight.Run.Released.SKIPPED) {
                continue; // its handler succeeded (the acker settles it) or it was settled already
            }
            try {
                if (broker.release(r.delivery)) {
                    log.info("job {} did not finish within the grace period; handed back to its queue", r.delivery);
                }
            } catch (BrokerException e) {
                log.warn("job {} could not be handed back ({}); it runs again after its lease expires", r.delivery, e.getMessage());
            }
            if (how == InFlight.Run.Released.NOT_STARTED) {
                inFlight.remove(r); // no thread will take it now
            }
        }
    }

    /**
     * Settles, as failed attempts, the runs whose handler thread is inside System.exit (Runtime.exit): the process
     * is going away because of that handler. Handing such a job back uncounted would run it, and exit, forever;
     * counted, it ends in the dead letter after its attempts like any job that crashes its worker.
     */
    private void settleRunsExitingTheProcess() {
        for (InFlight.Run r : inFlight.snapshot()) {
            Thread t = r.thread;
            if (t == null || !r.inHandler()) {
                continue;
            }
            StackTraceElement[] stack = t.getStackTrace();
            int exit = exitFrame(stack);
            Handler handler = config.handlers().get(r.delivery.queue());
            if (exit < 0 || handler == null || !r.abandon(() -> { })) {
                continue;
            }
            try {
                String summary = "process exited while the handler ran: it called System.exit";
                log.warn("job {} (task {}): its handler called System.exit; the run counts as a failed attempt", r.delivery, handler.name());
                failedAttempt(r, handler, summary + "\nthread " + t.getName() + " was at:" + frames(stack, exit), summary);
            } catch (RuntimeException e) {
                log.warn("job {} could not be settled after its handler called System.exit ({}); it runs again after its lease expires",
                        r.delivery, e.toString());
            } finally {
                inFlight.remove(r);
                giveBackSlot(r);
            }
        }
    }

    /** The index of the Runtime.exit frame (the System.exit call) in {@code stack}, or -1 when the thread is not exiting. */
    private static int exitFrame(StackTraceElement[] stack) {
        int found = -1;
        for (int i = 0; i < stack.length; i++) {
            String cls = stack[i].getClassName();
            if (stack[i].getMethodName().equals("exit") && (cls.equals("java.lang.Shutdown") || cls.equals("java.lang.Runtime"))) {
                found = i;
            }
        }
        return found;
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
