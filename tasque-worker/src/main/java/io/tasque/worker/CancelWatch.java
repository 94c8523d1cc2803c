package io.tasque.worker;

import io.tasque.broker.BrokerException;
import io.tasque.broker.Cancelling;
import io.tasque.broker.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns of cancels ({@code TasqueClient.cancel}) of the jobs this worker runs: every {@link #EVERY} while jobs are in
 * flight it asks the broker which of them were cancelled (one call per queue slot; none while nothing runs), and
 * interrupts their handlers. A run so stopped ends as cancelled: the broker deletes the job when the run's ack
 * arrives, so it is never retried or dead-lettered. Only on a broker that can cancel ({@link Cancelling}).
 */
final class CancelWatch implements Component {

    private static final Logger log = LoggerFactory.getLogger(CancelWatch.class);

    /** How often the broker is asked while jobs run: a cancelled handler is interrupted within about this. */
    static final Duration EVERY = Duration.ofSeconds(1);

    private final Cancelling broker;
    private final InFlight inFlight;
    private final BrokerHealth health;
    private final LoopGuard guard;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.named("tasque-cancel-watch-", true));

    CancelWatch(Cancelling broker, InFlight inFlight, BrokerHealth health) {
        this.broker = broker;
        this.inFlight = inFlight;
        this.health = health;
        this.guard = new LoopGuard("cancel watch", health);
    }

    @Override
    public void start() {
        timer.scheduleWithFixedDelay(this::turn, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One timer turn; nothing it throws may escape, or the timer would never run it again. */
    private void turn() {
        if (!guard.due()) {
            return;
        }
        try {
            check();
            guard.succeeded();
        } catch (Throwable t) {
            guard.failed(t);
        }
    }

    /** Asks the broker about every run in flight and stops those it reports cancelled; returns how many it stopped. */
    int check() {
        List<InFlight.Run> runs = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();
        for (InFlight.Run r : inFlight.snapshot()) {
            if (!r.released && !r.finished && !r.cancelled()) {
                runs.add(r);
                deliveries.add(r.delivery);
            }
        }
        if (deliveries.isEmpty()) {
            return 0;
        }
        int stopped = 0;
        try {
            boolean[] cancelled = broker.cancelRequested(deliveries);
            health.ok();
            for (int i = 0; i < cancelled.length; i++) {
                if (cancelled[i] && runs.get(i).cancel()) {
                    stopped++;
                    log.info("job {} was cancelled; its handler is interrupted and its run will not be recorded", runs.get(i).delivery);
                }
            }
        } catch (BrokerException e) {
            health.failed("cancel watch", e);
        }
        return stopped;
    }

    /** Cancels the timer; a turn in progress is interrupted. True if it ended within {@code grace}. */
    @Override
    public boolean stop(Duration grace) {
        timer.shutdownNow();
        try {
            return timer.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
