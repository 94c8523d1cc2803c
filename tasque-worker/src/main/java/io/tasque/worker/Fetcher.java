package io.tasque.worker;

import io.tasque.broker.AckingReserve;
import io.tasque.broker.BrokenQueue;
import io.tasque.broker.BrokenQueuesException;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.Delivery;
import io.tasque.broker.Reservation;
import io.tasque.retry.ReconnectBackoff;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases jobs for the processor. Its main lane (one thread) waits for free capacity, then in one call acks the
 * jobs that finished meanwhile and leases up to that many jobs from the handlers' queues, and when the queues
 * are empty blocks on the broker (never polls in a busy loop) until new work arrives, a delayed job falls due,
 * or the idle block runs out. On a broker error it waits 1 s, doubling to 10 s, and resets after the first
 * success.
 *
 * <p>While the queues have a backlog (the last call filled every slot it asked for), a second lane does the
 * same from its own thread, so one lane's call runs in Redis while the other lane hands its jobs out and the
 * handlers run them: the round trips overlap instead of taking turns with the handlers. The backlog lane
 * sends nothing while the queues are idle, and on an error it stops until the main lane sees a backlog again.
 *
 * <p>A queue the broker reports broken (a key holding the wrong type of data) is left out of the calls for a
 * while ({@link QueueQuarantine}); the others go on. Anything else a turn throws is caught by the lane's
 * {@link LoopGuard}: logged, backed off, and the lane goes on.
 */
final class Fetcher {

    private static final Logger log = LoggerFactory.getLogger(Fetcher.class);

    /** The main lane and the backlog lane. */
    static final int LANES = 2;

    /**
     * While the queues have a backlog, how long a lane may wait for more handler slots to free up before
     * reserving: 200 µs, a fraction of a round trip, which lets one reserve call refill many slots at once.
     */
    static final long BACKLOG_LINGER_NANOS = 200_000;

    private final WorkerConfig config;
    private final Broker broker;
    private final AckingReserve reserve;
    private final Processor processor;
    private final BrokerHealth health;
    private final QueueQuarantine quarantine;
    private final LoopGuard guard;
    private final LoopGuard backlogGuard;
    private final Thread thread;
    private final Thread backlogThread;
    private volatile boolean quiet;
    /** Set by the main lane when a call filled every slot, cleared by either lane when one did not. */
    private volatile boolean backlog;

    Fetcher(WorkerConfig config, Broker broker, Processor processor, BrokerHealth health) {
        this.config = config;
        this.broker = broker;
        this.reserve = AckingReserve.of(broker);
        this.processor = processor;
        this.health = health;
        this.quarantine = new QueueQuarantine(config.queues(), health);
        this.guard = new LoopGuard("fetch loop", health);
        this.backlogGuard = new LoopGuard("fetch loop (backlog lane)", health);
        this.thread = new Thread(this::loop, "tasque-fetcher");
        this.thread.setDaemon(true);
        this.backlogThread = new Thread(this::backlogLoop, "tasque-fetcher-backlog");
        this.backlogThread.setDaemon(true);
    }

    /** The queues held back for bad data; the janitor reports what it finds there too. */
    QueueQuarantine quarantine() {
        return quarantine;
    }

    void start() {
        thread.start();
        backlogThread.start();
    }

    /** Stops leasing new jobs (Sidekiq's "quiet"); returns once both lanes' threads have ended. */
    void quiet() throws InterruptedException {
        quiet = true;
        broker.interruptWait();
        thread.interrupt();
        backlogThread.interrupt();
        thread.join(10_000);
        backlogThread.join(10_000);
    }

    private void loop() {
        ReconnectBackoff backoff = new ReconnectBackoff();
        boolean full = false;
        processor.acker().fetcherActive(true);
        while (!quiet) {
            try {
                int slots;
                try {
                    slots = processor.acquire(0, config.concurrency(), full ? BACKLOG_LINGER_NANOS : 0);
                } catch (InterruptedException e) {
                    break;
                }
                Reservation got;
                try {
                    got = lease(slots);
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
                full = got.deliveries().size() == slots;
                backlog = full;
                if (full) {
                    LockSupport.unpark(backlogThread);
                }
                // with a backlog the fetcher is back in acquire() at once, where it looks after queued jobs
                processor.dispatch(got.deliveries(), full);
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
        processor.acker().fetcherActive(false);
        processor.wakeForEveryJob();
        log.debug("fetcher stopped");
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
                int slots;
                try {
                    slots = processor.acquire(1, config.concurrency(), BACKLOG_LINGER_NANOS);
                } catch (InterruptedException e) {
                    break;
                }
                if (!backlog || quiet) {
                    processor.giveBack(slots);
                    continue;
                }
                Reservation got;
                try {
                    got = lease(slots);
                } catch (BrokerException e) {
                    // the main lane reports the outage and backs off; this lane waits for its next backlog
                    log.debug("backlog lane: reserve failed ({}); waiting for the main lane", e.getMessage());
                    backlog = false;
                    continue;
                }
                if (got == null) {
                    break;
                }
                if (got.deliveries().size() < slots) {
                    backlog = false;
                }
                processor.dispatch(got.deliveries(), backlog);
                backlogGuard.succeeded();
            } catch (Throwable t) {
                backlog = false;
                if (!sleep(backlogGuard.failed(t))) {
                    break;
                }
            }
        }
        log.debug("fetcher backlog lane stopped");
    }

    /**
     * Sends the waiting acks and leases up to {@code slots} jobs in one call; gives back the slots it did not
     * fill. Returns null when quiet began meanwhile (the jobs went straight back to their queue). On a broker
     * error the acks wait for the next call, the slots are given back, and the error is thrown.
     */
    private Reservation lease(int slots) {
        List<Acker.Pending> acks = processor.acker().take();
        List<String> queues = quarantine.active();
        Reservation got;
        try {
            got = reserve.reserve(queues, queues.isEmpty() ? 0 : slots, config.lease(), deliveries(acks));
        } catch (Throwable e) {
            processor.acker().putBack(acks);
            processor.giveBack(slots);
            throw e;
        }
        quarantine.leased(queues, got.broken());
        settle(acks, got);
        processor.giveBack(slots - got.deliveries().size());
        if (quiet) {
            // leased after quiet() began: hand the jobs straight back so the next worker gets them
            for (Delivery d : got.deliveries()) {
                releaseQuietly(d);
            }
            processor.giveBack(got.deliveries().size());
            return null;
        }
        return got;
    }

    /** Runs the acks' callbacks; an ack into a queue reported broken was not applied, so it counts as not sent. */
    private void settle(List<Acker.Pending> acks, Reservation got) {
        if (got.broken().isEmpty()) {
            processor.acker().settled(acks, got.acked());
            return;
        }
        Set<String> broken = new HashSet<>();
        for (BrokenQueue b : got.broken()) {
            broken.add(b.queue());
        }
        processor.acker().settled(acks, got.acked(), broken);
    }

    private static List<Delivery> deliveries(List<Acker.Pending> acks) {
        List<Delivery> out = new java.util.ArrayList<>(acks.size());
        for (Acker.Pending p : acks) {
            out.add(p.delivery());
        }
        return out;
    }

    private void awaitWork(long nextDueMillis, ReconnectBackoff backoff) {
        processor.acker().fetcherActive(false);
        try {
            block(nextDueMillis, backoff);
        } finally {
            processor.acker().fetcherActive(true);
        }
    }

    private void block(long nextDueMillis, ReconnectBackoff backoff) {
        Duration block = config.idleBlock();
        if (nextDueMillis >= 0) {
            long untilDue = nextDueMillis - config.clock().millis();
            if (untilDue < block.toMillis()) {
                block = Duration.ofMillis(Math.max(1, untilDue));
            }
        }
        List<String> queues = quarantine.active();
        if (queues.isEmpty()) {
            // every queue is held back for bad data: nothing to wait on but the time until they are tried again
            sleep(block);
            return;
        }
        try {
            broker.awaitWork(queues, block);
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
        processor.acker().fetcherActive(false);
        processor.wakeForEveryJob();
        try {
            return sleep(d);
        } finally {
            processor.acker().fetcherActive(!quiet);
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
}
