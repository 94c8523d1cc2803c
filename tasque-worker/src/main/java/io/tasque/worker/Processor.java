package io.tasque.worker;

import io.tasque.Task;
import io.tasque.broker.Delivery;
import io.tasque.codec.Envelope;
import io.tasque.codec.TaskCodec;
import io.tasque.codec.UndecodablePayloadException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on {@code concurrency} handler threads and decides each run's {@link Outcome}: decodes the job, calls
 * its handler under its timeout, catches every {@link Throwable}, and applies the handler's rules (attempts, TTL,
 * permanent failures, backoff). It never calls the broker: {@link #run} returns the outcome to the
 * {@link LeaseLoop}, which tells the broker. A run it gives up on while its handler still runs (stuck past its
 * timeout, or inside System.exit) is settled through the {@link Settler} instead, as no thread returns it.
 */
final class Processor implements Component {

    private static final Logger log = LoggerFactory.getLogger(Processor.class);

    /** Takes the outcome of a run the processor gave up on; it must also remove the run and give its slot back. */
    interface Settler {
        void settleGivenUp(InFlight.Run run, Handler handler, Outcome outcome);
    }

    private final WorkerConfig config;
    private final TaskCodec codec;
    private final InFlight inFlight;
    private final WorkerMetrics metrics;
    private final HandlerPool threads;
    private final ScheduledExecutorService timeouts;
    private final Settler settler;

    /** {@code timeouts} runs the handlers' timeouts and stuck checks; the processor shuts it down when it stops. */
    Processor(WorkerConfig config, TaskCodec codec, InFlight inFlight, WorkerMetrics metrics, ScheduledExecutorService timeouts,
            Settler settler) {
        this.config = config;
        this.codec = codec;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.threads = new HandlerPool(config.concurrency(), "tasque-handler-");
        this.timeouts = timeouts;
        this.settler = settler;
    }

    @Override
    public void start() {
        threads.start();
    }

    /** Queues jobs for the handler threads; see {@link HandlerPool#execute}. */
    void execute(List<? extends Runnable> jobs, boolean everyJob) {
        threads.execute(jobs, everyJob);
    }

    /** Wakes threads for waiting jobs stuck behind slow ones; see {@link HandlerPool#nudge()}. */
    boolean nudge() {
        return threads.nudge();
    }

    /** Wakes a handler thread for every queued job, before the lease loop blocks for long. */
    void wakeForEveryJob() {
        threads.wakeForEveryJob();
    }

    /**
     * Runs one job on the calling handler thread to its outcome. {@code handler} is the one for the job's queue,
     * null if this worker has none. Whatever the handler throws is an outcome; anything else thrown here is a bug,
     * which the caller logs (the job then runs again after its lease expires).
     */
    Outcome run(InFlight.Run run, Handler handler) {
        Delivery d = run.delivery;
        long now = config.clock().millis();
        long deadline = handler != null && handler.timeout() != null ? now + handler.timeout().toMillis() : Long.MAX_VALUE;
        if (!run.start(Thread.currentThread(), deadline)) {
            return Outcome.ALREADY_SETTLED; // handed back during shutdown before it started
        }
        if (run.cancelled()) {
            return Outcome.CANCELLED; // cancelled while it waited for a thread
        }
        if (handler == null) {
            return Outcome.RELEASE;
        }
        if (d.payload() == null) {
            return new Outcome.Bury("payload missing: no job data stored for id " + d.id());
        }
        Envelope envelope;
        try {
            envelope = codec.decode(d.payload());
        } catch (UndecodablePayloadException e) {
            return new Outcome.Bury("undecodable payload: " + e.getMessage());
        }
        if (!envelope.name().equals(d.queue())) {
            return new Outcome.Bury("undecodable payload: task name '" + envelope.name() + "' does not match its queue '" + d.queue() + "'");
        }
        if (d.attempt() > handler.maxAttempts()) {
            return new Outcome.Bury(d.leaseExpiries() > 0
                    ? "lease expired " + d.leaseExpiries() + " times (the worker running it died or hung); " + (d.attempt() - 1) + " attempts used"
                    : "attempts exhausted: " + (d.attempt() - 1) + " of " + handler.maxAttempts());
        }
        now = config.clock().millis();
        if (envelope.expiredAt(now)) {
            return new Outcome.Bury("ttl expired before attempt " + d.attempt() + " could run");
        }
        Task task;
        try {
            task = Task.received(envelope.name(), envelope.params(), envelope.headers(), d.jobId(), d.attempt());
        } catch (IllegalArgumentException e) {
            return new Outcome.Bury("undecodable payload: " + e.getMessage());
        }
        run.expiresAtMillis = envelope.expiresAt();
        Throwable failure = runHandler(handler, task, run);
        if (run.abandoned) {
            log.warn("handler of job {} (task {}) returned after it was declared stuck, {} ms after it started; its outcome is not "
                    + "recorded, as the run was already settled as a failed attempt (it ended with: {})", d, handler.name(),
                    (System.nanoTime() - run.handlerStartNanos) / 1_000_000, failure == null ? "success" : failure.toString());
            return Outcome.ALREADY_SETTLED;
        }
        if (run.released) {
            return Outcome.ALREADY_SETTLED;
        }
        if (run.cancelled()) {
            return Outcome.CANCELLED;
        }
        if (failure == null) {
            return run.finish() ? Outcome.SUCCEEDED : Outcome.ALREADY_SETTLED;
        }
        String permanent = permanentFailure(handler, failure);
        if (permanent != null) {
            return new Outcome.Bury(permanent);
        }
        String summary = run.timedOut ? "timed out after " + handler.timeout() + " (handler interrupted)" : failure.toString();
        String error = run.timedOut ? summary + "\n" + ErrorText.of(failure) : ErrorText.of(failure);
        return failedAttempt(run, handler, error, summary);
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
     * A failed run's outcome: a retry after backoff, or the dead letter when it was the last attempt or the TTL ends
     * before the next one. {@code error} is stored with the job; {@code summary} is its one-line form for the log.
     */
    private Outcome failedAttempt(InFlight.Run run, Handler handler, String error, String summary) {
        Delivery d = run.delivery;
        Duration delay = handler.retryPolicy().delayAfter(d.attempt());
        long due = config.clock().millis() + delay.toMillis();
        long expiresAt = run.expiresAtMillis;
        if (d.attempt() >= handler.maxAttempts()) {
            return new Outcome.Bury("failed " + d.attempt() + " of " + handler.maxAttempts() + " attempts; last error: " + error);
        }
        if (expiresAt > 0 && due >= expiresAt) {
            return new Outcome.Bury("ttl expires before the next attempt; last error: " + error);
        }
        return new Outcome.Retry(due, delay, error, summary);
    }

    private Throwable runHandler(Handler handler, Task task, InFlight.Run run) {
        ScheduledFuture<?> timer = null;
        run.enterHandler();
        if (handler.timeout() != null) {
            timer = timeouts.schedule(() -> timeUp(run, handler), handler.timeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        long start = System.nanoTime();
        Throwable failure = null;
        String job = HandlerMdc.enter(HandlerMdc.JOB, task.id());
        String name = HandlerMdc.enter(HandlerMdc.TASK, task.name());
        String attempt = HandlerMdc.enter(HandlerMdc.ATTEMPT, Integer.toString(task.attempt()));
        try {
            handler.body().handle(task); // the handler, inside the worker's interceptors if it has any
        } catch (Throwable t) {
            failure = t;
        } finally {
            HandlerMdc.leave(HandlerMdc.ATTEMPT, attempt);
            HandlerMdc.leave(HandlerMdc.TASK, name);
            HandlerMdc.leave(HandlerMdc.JOB, job);
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
        Outcome outcome = Outcome.ALREADY_SETTLED;
        try {
            long ranMillis = (System.nanoTime() - run.handlerStartNanos) / 1_000_000;
            metrics.stuck(handler.name());
            log.warn("job {} (task {}) is stuck: its handler has been running for {} ms and ignored the interrupt at its timeout of {}; "
                    + "the run counts as a failed attempt and thread {} is replaced", run.delivery, handler.name(), ranMillis,
                    handler.timeout(), stuck.getName());
            String summary = "handler stuck: it ignored the interrupt at its timeout of " + handler.timeout()
                    + " and had not returned " + handler.stuckGrace() + " later";
            outcome = failedAttempt(run, handler, summary + "\nthread " + stuck.getName() + " was at:" + frames(stuck.getStackTrace(), 0), summary);
        } finally {
            settler.settleGivenUp(run, handler, outcome);
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

    /**
     * Settles, as failed attempts, the runs whose handler thread is inside System.exit (Runtime.exit): the process
     * is going away because of that handler. Handing such a job back uncounted would run it, and exit, forever;
     * counted, it ends in the dead letter after its attempts like any job that crashes its worker. The lease loop
     * calls this before it waits for running jobs at shutdown, and before it hands back the rest.
     */
    void settleRunsExitingTheProcess() {
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
            Outcome outcome = Outcome.ALREADY_SETTLED;
            try {
                String summary = "process exited while the handler ran: it called System.exit";
                log.warn("job {} (task {}): its handler called System.exit; the run counts as a failed attempt", r.delivery, handler.name());
                outcome = failedAttempt(r, handler, summary + "\nthread " + t.getName() + " was at:" + frames(stack, exit), summary);
            } finally {
                settleExited(r, handler, outcome);
            }
        }
    }

    private void settleExited(InFlight.Run r, Handler handler, Outcome outcome) {
        try {
            settler.settleGivenUp(r, handler, outcome);
        } catch (RuntimeException e) {
            log.warn("job {} could not be settled after its handler called System.exit ({}); it runs again after its lease expires",
                    r.delivery, e.toString());
        }
    }

    /**
     * Stops the handler threads (jobs not started are dropped, running ones interrupted) and the timeout timer;
     * true if every handler thread ended within {@code grace}. The lease loop calls it once nothing is in flight.
     */
    @Override
    public boolean stop(Duration grace) {
        timeouts.shutdownNow();
        return threads.stop(grace);
    }
}
