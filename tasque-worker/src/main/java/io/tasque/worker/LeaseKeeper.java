package io.tasque.worker;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeat: every {@code heartbeat} interval renews the leases of all running jobs in one call per
 * queue, so a long job is not redelivered while it runs. A job past its handler timeout is not renewed.
 * A lease the broker refuses to renew (it expired and another worker took the job) is logged once.
 */
final class LeaseKeeper implements Component {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final WorkerConfig config;
    private final Broker broker;
    private final InFlight inFlight;
    private final BrokerHealth health;
    private final TimerLoop timer;

    LeaseKeeper(WorkerConfig config, Broker broker, InFlight inFlight, BrokerHealth health) {
        this.config = config;
        this.broker = broker;
        this.inFlight = inFlight;
        this.health = health;
        this.timer = new TimerLoop("tasque-lease-keeper-", "lease renewal", health);
    }

    @Override
    public void start() {
        timer.every(config.heartbeat(), config.heartbeat(), this::renew);
    }

    void renew() {
        long now = config.clock().millis();
        List<InFlight.Run> runs = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();
        for (InFlight.Run r : inFlight.snapshot()) {
            if (!r.released && !r.leaseLost() && r.deadlineMillis > now) {
                runs.add(r);
                deliveries.add(r.delivery);
            }
        }
        if (deliveries.isEmpty()) {
            return;
        }
        try {
            boolean[] held = broker.extend(deliveries, config.lease());
            health.ok();
            for (int i = 0; i < held.length; i++) {
                InFlight.Run r = runs.get(i);
                // a run whose handler already succeeded may have been acked meanwhile: settled, not lost
                if (!held[i] && !r.finished && inFlight.get(r.delivery) == r && r.markLost()) {
                    log.warn("lease of job {} was lost (it expired and the job may run elsewhere); its result will not be recorded here",
                            r.delivery);
                }
            }
        } catch (BrokerException e) {
            health.failed("lease renewal", e);
        }
    }

    /** Cancels the timer; a turn in progress is interrupted. True if it ended within {@code grace}. */
    @Override
    public boolean stop(Duration grace) {
        return timer.stop(grace);
    }
}
