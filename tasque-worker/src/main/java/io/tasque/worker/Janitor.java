package io.tasque.worker;

import io.tasque.broker.BrokerException;
import io.tasque.broker.Housekeeper;
import io.tasque.broker.Housekeeping;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broker housekeeping on a timer: moves due delayed and retry jobs to ready and reclaims jobs whose lease
 * expired (a crashed or frozen worker's). Atomic on the broker side, so any number of workers may run it
 * at once without a leader and no job is moved twice. Only for a broker with the {@link Housekeeper}
 * capability; a worker on any other broker runs none.
 */
final class Janitor implements Component {

    private static final Logger log = LoggerFactory.getLogger(Janitor.class);

    private final WorkerConfig config;
    private final Housekeeper broker;
    private final BrokerHealth health;
    private final List<String> queues;
    private final QueueQuarantine broken;
    private final TimerLoop timer;

    Janitor(WorkerConfig config, Housekeeper broker, BrokerHealth health, QueueQuarantine quarantine) {
        this.config = config;
        this.broker = broker;
        this.health = health;
        this.queues = config.queues();
        // the lease loop's: a queue found broken here is logged once and held back from fetching too; the janitor
        // still sweeps every queue each pass (a broken one costs nothing there), and only the lease loop lets one go
        this.broken = quarantine;
        this.timer = new TimerLoop("tasque-janitor-", "housekeeping", health);
    }

    @Override
    public void start() {
        timer.every(config.janitorInterval(), config.janitorInterval(), this::sweep);
    }

    void sweep() {
        try {
            Housekeeping h = broker.housekeep(queues);
            health.ok();
            broken.hold(h.broken());
            if (h.reclaimed() > 0) {
                log.info("reclaimed {} job(s) whose lease expired; they run again", h.reclaimed());
            }
        } catch (BrokerException e) {
            health.failed("housekeeping", e);
        }
    }

    /** Cancels the timer; a turn in progress is interrupted. True if it ended within {@code grace}. */
    @Override
    public boolean stop(Duration grace) {
        return timer.stop(grace);
    }
}
