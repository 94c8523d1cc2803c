package io.tasque.worker;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.Delivery;
import io.tasque.broker.Reservation;
import io.tasque.retry.ReconnectBackoff;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that leases jobs for the processor: it waits for free capacity, then in one call acks the jobs
 * that finished meanwhile and leases up to that many jobs from the handlers' queues, and when the queues are empty blocks on the broker (never polls
 * in a busy loop) until new work arrives, a delayed job falls due, or the idle block runs out. On a broker
 * error it waits 1 s, doubling to 10 s, and resets after the first success.
 */
final class Fetcher {

    private static final Logger log = LoggerFactory.getLogger(Fetcher.class);

    /**
     * While the queues have a backlog, how long the fetcher may wait for more handler slots to free up before
     * reserving: 200 µs, a fraction of a round trip, which lets one reserve call refill many slots at once.
     */
    static final long BACKLOG_LINGER_NANOS = 200_000;

    private final WorkerConfig config;
    private final Broker broker;
    private final Processor processor;
    private final BrokerHealth health;
    private final List<String> queues;
    private final Thread thread;
    private volatile boolean quiet;

    Fetcher(WorkerConfig config, Broker broker, Processor processor, BrokerHealth health) {
        this.config = config;
        this.broker = broker;
        this.processor = processor;
        this.health = health;
        this.queues = config.queues();
        this.thread = new Thread(this::loop, "tasque-fetcher");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops leasing new jobs (Sidekiq's "quiet"); returns once the fetch thread has ended. */
    void quiet() throws InterruptedException {
        quiet = true;
        broker.interruptWait();
        thread.interrupt();
        thread.join(10_000);
    }

    private void loop() {
        ReconnectBackoff backoff = new ReconnectBackoff();
        boolean backlog = false;
        processor.acker().fetcherActive(true);
        while (!quiet) {
            int slots;
            try {
                slots = processor.acquire(config.concurrency(), backlog ? BACKLOG_LINGER_NANOS : 0);
            } catch (InterruptedException e) {
                break;
            }
            Reservation got;
            List<Acker.Pending> acks = processor.acker().take();
            try {
                got = broker.reserve(queues, slots, config.lease(), deliveries(acks));
                backoff.succeeded();
                health.ok();
                processor.acker().settled(acks, got.acked());
            } catch (BrokerException e) {
                processor.acker().putBack(acks);
                processor.giveBack(slots);
                health.failed("fetch", e);
                if (!pause(backoff.failed())) {
                    break;
                }
                continue;
            }
            processor.giveBack(slots - got.deliveries().size());
            if (quiet) {
                // leased after quiet() began: hand the jobs straight back so the next worker gets them
                for (Delivery d : got.deliveries()) {
                    releaseQuietly(d);
                }
                processor.giveBack(got.deliveries().size());
                break;
            }
            backlog = got.deliveries().size() == slots;
            // with a backlog the fetcher is back in acquire() at once, where it looks after queued jobs
            processor.dispatch(got.deliveries(), backlog);
            if (!backlog) {
                awaitWork(got.nextDueMillis(), backoff);
            }
        }
        processor.acker().fetcherActive(false);
        processor.wakeForEveryJob();
        log.debug("fetcher stopped");
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
        try {
            broker.awaitWork(queues, block);
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
            Thread.sleep(d.toMillis());
            return !quiet;
        } catch (InterruptedException e) {
            return false;
        } finally {
            processor.acker().fetcherActive(!quiet);
        }
    }
}
