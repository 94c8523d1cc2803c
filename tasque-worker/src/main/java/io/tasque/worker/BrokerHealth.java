package io.tasque.worker;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's one view of whether its broker answers, shared by every component, so an outage is logged
 * once when it starts and once when it ends, not once per failed call.
 */
final class BrokerHealth {

    private static final Logger log = LoggerFactory.getLogger(BrokerHealth.class);

    private final String broker;
    private final AtomicBoolean down = new AtomicBoolean();

    BrokerHealth(String broker) {
        this.broker = broker;
    }

    void failed(String during, RuntimeException e) {
        if (down.compareAndSet(false, true)) {
            log.warn("broker {} is unreachable ({} failed: {}); retrying every 1 s, backing off to 10 s",
                    broker, during, e.getMessage());
        }
    }

    void ok() {
        if (down.compareAndSet(true, false)) {
            log.info("broker {} is reachable again; resuming", broker);
        }
    }
}
