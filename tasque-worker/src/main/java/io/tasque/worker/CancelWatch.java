package io.tasque.worker;

import io.tasque.broker.BrokerException;
import io.tasque.broker.Cancelling;
import io.tasque.broker.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private final TimerLoop timer;

    CancelWatch(Cancelling broker, InFlight inFlight, BrokerHealth health) {
        this.broker = broker;
        this.inFlight = inFlight;
        this.health = health;
        this.timer = new TimerLoop("tasque-cancel-watch-", "cancel watch", health);
    }

    @Override
    public void start() {
        timer.every(EVERY, EVERY, this::check);
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
        return timer.stop(grace);
    }
}
