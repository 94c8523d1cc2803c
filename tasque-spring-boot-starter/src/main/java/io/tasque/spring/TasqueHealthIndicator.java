package io.tasque.spring;

import io.tasque.client.ClientHealth;
import io.tasque.client.TasqueClient;
import io.tasque.worker.Worker;
import io.tasque.worker.WorkerHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The actuator's {@code tasque} health: UP while the client is open and reaches its broker and the worker (if the
 * application runs one) runs and reaches it; DOWN otherwise, with each side's state, error and since when as details.
 * A check pings the broker once through the client, within its enqueue timeout.
 */
final class TasqueHealthIndicator implements HealthIndicator {

    private final TasqueClient client;
    private final ObjectProvider<Worker> worker;

    TasqueHealthIndicator(TasqueClient client, ObjectProvider<Worker> worker) {
        this.client = client;
        this.worker = worker;
    }

    @Override
    public Health health() {
        ClientHealth c = client.health();
        Worker w = worker.getIfAvailable();
        WorkerHealth wh = w == null ? null : w.health();
        boolean up = c.healthy() && (wh == null || wh.healthy());
        Health.Builder health = up ? Health.up() : Health.down();
        health.withDetail("broker", client.broker());
        health.withDetail("client", clientDetails(c));
        if (wh != null) {
            health.withDetail("worker", workerDetails(wh, w.inFlight()));
        }
        return health.build();
    }

    private static Map<String, Object> clientDetails(ClientHealth c) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("open", c.open());
        d.put("brokerReachable", c.brokerReachable());
        if (c.lastError() != null) {
            d.put("lastError", c.lastError());
        }
        d.put("since", c.since().toString());
        return d;
    }

    private static Map<String, Object> workerDetails(WorkerHealth w, int inFlight) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("running", w.running());
        d.put("brokerReachable", w.brokerReachable());
        if (w.lastError() != null) {
            d.put("lastError", w.lastError());
        }
        d.put("since", w.since().toString());
        d.put("inFlight", inFlight);
        return d;
    }
}
