package io.tasque.worker;

import io.tasque.broker.AckingReserve;
import io.tasque.broker.BrokenQueue;
import io.tasque.broker.BrokenQueuesException;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.Delivery;
import io.tasque.broker.LimitedReserve;
import io.tasque.broker.QueueLimit;
import io.tasque.broker.Reservation;
import io.tasque.retry.ReconnectBackoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's pipeline, fetch → run → ack, and the one place its lease calls to the broker are made. It owns the
 * handler {@link Slots}, the two fetch lanes, the {@link Processor} that runs each job to an {@link Outcome}, and
 * the {@link Acker}; it tells the broker each outcome (ack, retry, dead letter, hand back).
 *
 * <p><b>Fetch.</b> The main lane (one thread) waits for free capacity, then in one call acks the jobs that finished
 * meanwhile and leases up to that many jobs from the handlers' queues, and when the queues are empty blocks on the
 * broker (never polls in a busy loop) until new work arrives, a delayed job falls due, or the idle block runs out.
 * On a broker error it waits 1 s, doubling to 10 s, and resets after the first success. While the queues have a
 * backlog (the last call filled every slot it asked for), a second lane does the same from its own thread, so one
 * lane's call runs in Redis while the other lane hands its jobs out and the handlers run them: the round trips
 * overlap instead of taking turns with the handlers. The backlog lane sends nothing while the queues are idle, and
 * on an error it stops until the main lane sees a backlog again. A queue the broker reports broken (a key holding
 * the wrong type of data) is left out of the calls for a while ({@link QueueQuarantine}); the others go on.
 * Anything else a turn throws is caught by the lane's {@link LoopGuard}: logged, backed off, and the lane goes on.
 *
 * <p><b>Run.</b> Each leased job is recorded in flight and queued for a handler thread, which runs it through the
 * processor and settles its outcome here, on the same thread, before it gives its slot back.
 *
 * <p><b>Ack.</b> A success is queued in the acker, which the lanes' next reserve call carries; a retry, a dead
 * letter or a hand-back is sent at once, retried through an outage for at most one lease ({@link BrokerRetry}).
 */
final class LeaseLoop implements Component {

    private static final Logger log = LoggerFactory.getLogger(LeaseLoop.class);

    /** The main lane and the backlog lane. */
    static final int LANES = 2;

    /**
     * While the queues have a backlog, how long a lane may wait for more handler slots to free up before
     * reserving: 200 µs, a fraction of a round trip, which lets one reserve call refill many slots at once.
     */
    static final long BACKLOG_LINGER_NANOS = 200_000;
    /** How long {@link #quiet()} waits for each lane's thread to end: 10 s. */
    static final long LANE_JOIN_MILLIS = 10_000;
    /** After the grace period, how long the runs handed back get to leave: 1 s. */
    static final Duration HAND_BACK_WAIT = Duration.ofSeconds(1);
    /** How long {@link #stop} waits for the acker to send the acks still queued: 5 s. */
    static final Duration ACK_FLUSH = Duration.ofSeconds(5);

    /**
     * How coarsely a server times out a blocking wait: Redis checks blocked clients' timeouts in its cron, 10 times a
     * second by default, so a BLPOP may return up to 100 ms after its timeout. A due time closer than this is waited
     * for by sleeping here instead, and a longer wait ends with such a sleep.
     */
    static final long SERVER_TIMER_MILLIS = 100;

    private static final BooleanSupplier NOTHING_WHILE_WAITING = () -> false;

    private final WorkerConfig config;
    private final Broker broker;
    private final AckingReserve reserve;
    /** The queues' limits and weights; when there are any, reserve calls go through {@link #limitedReserve}. */
    private final QueueLimits limits;
    private final LimitedReserve limitedReserve;
    private final Map<String, Handler> handlers;
    private final InFlight inFlight;
    private final WorkerMetrics metrics;
    private final BrokerHealth health;
    private final QueueQuarantine quarantine;
    private final Slots slots;
    private final Processor processor;
    private final BrokerRetry retry;
    private final Acker acker;
    /** The main lane's check while it waits for slots (made once, not per wait). */
    private final BooleanSupplier nudge;
    private final LoopGuard guard;
    private final LoopGuard backlogGuard;
    private final Thread thread;
    private final Thread backlogThread;
    private volatile boolean quiet;
    /** Set by the main lane when a call filled every slot, cleared by either lane when one did not. */
    private volatile boolean backlog;

    /** {@code timeouts} runs the handlers' timeouts; it is shut down when the loop stops. */
    LeaseLoop(WorkerConfig config, Broker broker, InFlight inFlight, WorkerMetrics metrics, BrokerHealth health,
            QueueQuarantine quarantine, ScheduledExecutorService timeouts) {
        this.config = config;
        this.broker = broker;
        this.reserve = AckingReserve.of(broker);
        this.limits = new QueueLimits(config.handlers());
        // Worker refuses limits on a broker without the capability (checkLimits), before this is built
        this.limitedReserve = limits.any() ? broker.capability(LimitedReserve.class).orElseThrow() : null;
        this.handlers = config.handlers();
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.health = health;
        this.quarantine = quarantine;
        this.slots = new Slots(config.concurrency(), LANES);
        this.processor = new Processor(config, broker.codec(Integer.MAX_VALUE), inFlight, metrics, timeouts, this::settleGivenUp);
        this.retry = new BrokerRetry(config.lease(), health);
        this.acker = new Acker(broker, retry, health);
        this.nudge = processor::nudge;
        this.guard = new LoopGuard("fetch loop", health);
        this.backlogGuard = new LoopGuard("fetch loop (backlog lane)", health);
        this.thread = new Thread(this::loop, "tasque-fetcher");
        this.thread.setDaemon(true);
        this.backlogThread = new Thread(this::backlogLoop, "tasque-fetcher-backlog");
        this.backlogThread.setDaemon(true);
    }

    /** Starts the handler threads, the acker, then both fetch lanes. */
    @Override
    public void start() {
        processor.start();
        retry.start();
        acker.start();
        thread.start();
        backlogThread.start();
    }

    /** Stops leasing new jobs (Sidekiq's "quiet"); returns once both lanes' threads have ended. Running jobs go on. */
    void quiet() {
        quiet = true;
        broker.interruptWait();
        thread.interrupt();
        backlogThread.interrupt();
        try {
            thread.join(LANE_JOIN_MILLIS);
            backlogThread.join(LANE_JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The graceful stop, in this order: quiet; let running jobs finish until {@code grace} has passed; hand the
     * unfinished ones back to their queue (their attempt not counted); send the acks still queued; end the handler
     * threads. True if every job finished within the grace and every thread ended.
     */
    @Override
    public boolean stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        quiet();
        boolean drained = drain(deadline);
        retry.stop(Duration.ZERO);
        boolean flushed = acker.stop(ACK_FLUSH);
        boolean ended = processor.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        return drained && flushed && ended;
    }

    /**
     * Waits for running jobs until {@code deadline} (System.nanoTime); hands back those still running then. A run
     * whose handler is itself exiting the process is settled first, as it never will finish. True if all finished.
     */
    private boolean drain(long deadline) {
        try {
            processor.settleRunsExitingTheProcess();
            if (inFlight.awaitIdle(deadline)) {
                return true;
            }
            handBackRemaining();
            processor.settleRunsExitingTheProcess();
            inFlight.awaitIdle(System.nanoTime() + HAND_BACK_WAIT.toNanos());
        } catch (InterruptedException e) {
            handBackRemaining();
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * Hands every still-running job back to its queue (uncounted) and interrupts its handler. A run whose handler
     * called System.exit is not handed back but settled as a failed attempt: run again, it would exit again.
     */
    void handBackRemaining() {
        processor.settleRunsExitingTheProcess();
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

    // ---- fetch: the two lanes

    private void loop() {
        ReconnectBackoff backoff = new ReconnectBackoff();
        boolean full = false;
        acker.lanesActive(true);
        while (!quiet) {
            try {
                int taken;
                try {
                    taken = acquire(0, full ? BACKLOG_LINGER_NANOS : 0);
                } catch (InterruptedException e) {
                    break;
                }
                Reservation got;
                try {
                    got = lease(taken);
                    backoff.succeeded();
                    health.ok();
                } catch (BrokerException e) {
                    health.failed("fetch", e);
                    if (!pause(backoff.failed())) {
                        break;
                    }
                    continue;
                }
                if (got == null) {
                    break;
                }
                full = got.deliveries().size() == taken;
                backlog = full;
                if (full) {
                    LockSupport.unpark(backlogThread);
                }
                // with a backlog the main lane is back in acquire() at once, where it looks after queued jobs
                dispatch(got.deliveries(), full);
                if (!full) {
                    awaitWork(got.nextDueMillis(), backoff);
                }
                guard.succeeded();
            } catch (Throwable t) {
                full = false;
                if (!pause(guard.failed(t))) {
                    break;
                }
            }
        }
        acker.lanesActive(false);
        processor.wakeForEveryJob();
        log.debug("lease loop: main lane stopped");
    }

    /** The backlog lane: leases as the main lane does, but only while the queues have a backlog. */
    private void backlogLoop() {
        while (!quiet) {
            if (!backlog) {
                LockSupport.park(this);
                if (Thread.interrupted() && quiet) {
                    break;
                }
                continue;
            }
            try {
                int taken;
                try {
                    taken = acquire(1, BACKLOG_LINGER_NANOS);
                } catch (InterruptedException e) {
                    break;
                }
                if (!backlog || quiet) {
                    slots.release(taken);
                    continue;
                }
                Reservation got;
                try {
                    got = lease(taken);
                } catch (BrokerException e) {
                    // the main lane reports the outage and backs off; this lane waits for its next backlog
                    log.debug("backlog lane: reserve failed ({}); waiting for the main lane", e.getMessage());
                    backlog = false;
                    continue;
                }
                if (got == null) {
                    break;
                }
                if (got.deliveries().size() < taken) {
                    backlog = false;
                }
                dispatch(got.deliveries(), backlog);
                backlogGuard.succeeded();
            } catch (Throwable t) {
                backlog = false;
                if (!sleep(backlogGuard.failed(t))) {
                    break;
                }
            }
        }
        log.debug("lease loop: backlog lane stopped");
    }

    /**
     * Sends the waiting acks and leases up to {@code taken} jobs (one per slot taken) in one call; gives back the
     * slots it did not fill. Returns null when quiet began meanwhile (the jobs went straight back to their queue).
     * On a broker error the acks wait for the next call, the slots are given back, and the error is thrown.
     */
    private Reservation lease(int taken) {
        List<Acker.Pending> acks = acker.take();
        List<String> queues = quarantine.active();
        Reservation got;
        try {
            if (limitedReserve == null) {
                got = reserve.reserve(queues, queues.isEmpty() ? 0 : taken, config.lease(), deliveries(acks));
            } else {
                queues = limits.leasable(queues, config.clock().millis());
                int max = queues.isEmpty() ? 0 : taken;
                List<QueueLimit> sent = limits.forCall(queues, max);
                got = limitedReserve.reserve(queues, max, config.lease(), deliveries(acks), sent);
                limits.leased(got, sent);
            }
        } catch (Throwable e) {
            acker.putBack(acks);
            slots.release(taken);
            throw e;
        }
        quarantine.leased(queues, got.broken());
        settleAcks(acks, got);
        slots.release(taken - got.deliveries().size());
        if (quiet) {
            // leased after quiet() began: hand the jobs straight back so the next worker gets them
            for (Delivery d : got.deliveries()) {
                releaseQuietly(d);
            }
            slots.release(got.deliveries().size());
            return null;
        }
        return got;
    }

    /** Runs the acks' callbacks; an ack into a queue reported broken was not applied, so it counts as not sent. */
    private void settleAcks(List<Acker.Pending> acks, Reservation got) {
        if (got.broken().isEmpty()) {
            acker.settled(acks, got.acked());
            return;
        }
        Set<String> broken = new HashSet<>();
        for (BrokenQueue b : got.broken()) {
            broken.add(b.queue());
        }
        acker.settled(acks, got.acked(), broken);
    }

    private static List<Delivery> deliveries(List<Acker.Pending> acks) {
        List<Delivery> out = new ArrayList<>(acks.size());
        for (Acker.Pending p : acks) {
            out.add(p.delivery());
        }
        return out;
    }

    private void awaitWork(long nextDueMillis, ReconnectBackoff backoff) {
        acker.lanesActive(false);
        try {
            block(nextDueMillis, backoff);
        } finally {
            acker.lanesActive(true);
        }
    }

    private void block(long nextDue, ReconnectBackoff backoff) {
        Duration block = config.idleBlock();
        long nextDueMillis = nextDue;
        long released = limitedReserve == null ? -1 : limits.nextRelease();
        if (released >= 0 && (nextDueMillis < 0 || released < nextDueMillis)) {
            nextDueMillis = released; // a queue held by its rate may start a job then
        }
        boolean sleepToDue = false;
        if (nextDueMillis >= 0) {
            long untilDue = nextDueMillis - config.clock().millis();
            if (untilDue <= SERVER_TIMER_MILLIS) {
                // too close for the server's blocking timeout, which it checks only every 100 ms or so
                sleep(Duration.ofMillis(Math.max(1, untilDue)));
                return;
            }
            if (untilDue < block.toMillis()) {
                // block until shortly before it, then sleep the last stretch here, to the millisecond
                block = Duration.ofMillis(untilDue - SERVER_TIMER_MILLIS);
                sleepToDue = true;
            }
        }
        List<String> queues = quarantine.active();
        if (limitedReserve != null) {
            queues = limits.leasable(queues, config.clock().millis()); // a queue held by its rate is not waited on
        }
        if (queues.isEmpty()) {
            // every queue is held back (bad data, or rates): nothing to wait on but the time until they are tried again
            sleep(block);
            return;
        }
        try {
            if (!broker.awaitWork(queues, block) && sleepToDue && !quiet) {
                sleep(Duration.ofMillis(Math.max(1, nextDueMillis - config.clock().millis())));
            }
        } catch (BrokenQueuesException e) {
            quarantine.hold(e.queues());
        } catch (BrokerException e) {
            if (!quiet) {
                health.failed("wait for work", e);
                pause(backoff.failed());
            }
        }
    }

    private void releaseQuietly(Delivery d) {
        try {
            broker.release(d);
        } catch (BrokerException e) {
            log.warn("job {} leased during shutdown could not be handed back ({}); it runs after its lease expires", d, e.getMessage());
        }
    }

    private boolean pause(Duration d) {
        acker.lanesActive(false);
        processor.wakeForEveryJob();
        try {
            return sleep(d);
        } finally {
            acker.lanesActive(!quiet);
        }
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return !quiet;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * Blocks until at least one handler thread is free, then takes free slots, up to one per handler thread. With
     * {@code lingerNanos} > 0 (the queue has a backlog, so nothing waits on this worker's speed but its own
     * throughput) it waits up to that long for half the slots to be free, so one reserve call fills many slots
     * instead of one; an idle queue never lingers, so a lone job is never held back. While it waits, lane 0 wakes
     * more handler threads if queued jobs are stuck behind slow ones ({@link Processor#nudge()}); only lane 0 does
     * that, so two lanes never count one wait twice.
     */
    private int acquire(int lane, long lingerNanos) throws InterruptedException {
        int max = config.concurrency();
        return slots.take(lane, max, Math.max(1, max / 2), lingerNanos, lane == 0 ? nudge : NOTHING_WHILE_WAITING);
    }

    // ---- run: each job on a handler thread, its outcome settled there

    /**
     * Queues leased jobs for the handler threads; the caller holds a slot for each. They count as in flight (their
     * leases are renewed) from now on. With {@code lanesReturnSoon} false, every job wakes a thread of its own, as
     * no lane will be back to nudge the handler threads for a while.
     */
    void dispatch(List<Delivery> deliveries, boolean lanesReturnSoon) {
        List<Runnable> jobs = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            InFlight.Run run = inFlight.add(d);
            jobs.add(() -> runAndSettle(run));
        }
        processor.execute(jobs, !lanesReturnSoon);
    }

    /** One job on its handler thread: run it, tell the broker its outcome, give its slot back. */
    private void runAndSettle(InFlight.Run run) {
        Handler handler = handlers.get(run.delivery.queue());
        boolean acking = false;
        try {
            acking = settle(run, handler, processor.run(run, handler));
        } catch (RuntimeException e) {
            log.error("job {} could not be settled; it will run again after its lease expires", run.delivery, e);
        } finally {
            if (!acking && !run.abandoned) {
                inFlight.remove(run); // an abandoned run is removed by whoever settled it
            }
            Thread.interrupted();
            giveBackSlot(run);
        }
    }

    /** The outcome of a run the processor gave up on (stuck, or exiting the process), settled by its thread. */
    private void settleGivenUp(InFlight.Run run, Handler handler, Outcome outcome) {
        try {
            settle(run, handler, outcome);
        } finally {
            inFlight.remove(run);
            giveBackSlot(run);
        }
    }

    private void giveBackSlot(InFlight.Run run) {
        if (run.giveBackSlot()) {
            slots.release(1);
        }
    }

    // ---- ack, and the other outcomes

    /**
     * Tells the broker a run's outcome. Returns true when it is an ack now queued in the acker: the run stays in
     * flight (and leased) until the ack is sent.
     */
    private boolean settle(InFlight.Run run, Handler handler, Outcome outcome) {
        if (outcome instanceof Outcome.Succeeded) {
            ack(run, handler);
            return true;
        }
        if (outcome instanceof Outcome.Cancelled) {
            endCancelled(run, handler);
            return true;
        }
        Delivery d = run.delivery;
        if (outcome instanceof Outcome.Retry r) {
            scheduleRetry(run, handler, r);
        } else if (outcome instanceof Outcome.Bury b) {
            deadLetter(run, handler.name(), b.reason());
        } else if (outcome instanceof Outcome.Release) {
            retry.call("release " + d, () -> broker.release(d));
        }
        return false;
    }

    private void ack(InFlight.Run run, Handler handler) {
        acker.ack(run.delivery, (job, acked) -> {
            inFlight.remove(job);
            if (Boolean.TRUE.equals(acked)) {
                metrics.outcome(handler.name(), WorkerMetrics.Outcome.SUCCEEDED);
            } else if (acked == null) {
                log.warn("job {} finished, but its ack could not be sent; it runs again after its lease expires", job);
            } else if (run.markLost()) {
                log.warn("job {} finished, but its lease had passed to another run or it was cancelled; not acked here", job);
            }
        });
    }

    /** A cancelled run's end: its ack, which the broker refuses, deleting the job as cancelled. */
    private void endCancelled(InFlight.Run run, Handler handler) {
        acker.ack(run.delivery, (job, acked) -> {
            inFlight.remove(job);
            if (acked == null) {
                log.warn("job {} was cancelled, but the end of its run could not be sent; it ends when its lease expires", job);
            } else {
                metrics.outcome(handler == null ? job.queue() : handler.name(), WorkerMetrics.Outcome.CANCELLED);
            }
        });
    }

    private void scheduleRetry(InFlight.Run run, Handler handler, Outcome.Retry r) {
        Delivery d = run.delivery;
        boolean scheduled = retry.call("retry " + d, () -> broker.retry(d, r.dueAtMillis(), r.error()));
        if (scheduled) {
            metrics.outcome(handler.name(), WorkerMetrics.Outcome.RETRIED);
            log.info("job {} failed (attempt {} of {}), retry in {}: {}", d, d.attempt(), handler.maxAttempts(), r.delay(), r.summary());
        } else if (run.markLost()) {
            log.warn("job {} failed, but its lease had passed to another run or it was cancelled; not retried here", d);
        }
    }

    private void deadLetter(InFlight.Run run, String task, String reason) {
        Delivery d = run.delivery;
        boolean buried = retry.call("dead-letter " + d, () -> broker.bury(d, reason));
        if (buried) {
            metrics.outcome(task, WorkerMetrics.Outcome.DEAD);
            log.warn("job {} dead-lettered: {}", d, firstLine(reason));
        } else if (run.markLost()) {
            log.warn("job {} not dead-lettered: its lease had passed to another run or it was cancelled", d);
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
