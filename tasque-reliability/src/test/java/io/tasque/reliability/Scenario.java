package io.tasque.reliability;

import io.tasque.Task;
import io.tasque.client.TasqueAdmin;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every process scenario shares: the Redis under test, a client, the ledger and the fleet of worker
 * processes. Closing it kills every worker it started, then closes the connections.
 */
final class Scenario implements AutoCloseable {

    private final String name;
    private final RedisServer redis;
    private final WorkerFleet fleet;
    private final TasqueClient client;
    private final Ledger ledger;

    Scenario(String name, RedisServer redis) {
        this(name, redis, TasqueClient.builder().broker(redis.uri()));
    }

    Scenario(String name, RedisServer redis, TasqueClient.Builder client) {
        this.name = name;
        this.redis = redis;
        this.fleet = new WorkerFleet(Path.of("target", "child-logs", name));
        this.client = client.build();
        this.ledger = Ledger.connect(redis.uri(), 4, Duration.ofSeconds(5));
    }

    /** Settings for a worker process named {@code name} on this scenario's Redis, with the test defaults. */
    ChildSettings worker(String workerName) {
        return ChildSettings.worker(workerName, redis.uri());
    }

    WorkerProcess start(ChildSettings settings) {
        return fleet.start(settings);
    }

    WorkerFleet fleet() {
        return fleet;
    }

    TasqueClient client() {
        return client;
    }

    TasqueAdmin admin() {
        return client.admin();
    }

    Ledger ledger() {
        return ledger;
    }

    RedisServer redis() {
        return redis;
    }

    /** Submits {@code n} plain jobs, numbered from {@code from}, in one bulk call; returns their ids. */
    List<String> submitPlain(int from, int n) {
        List<Task> tasks = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) {
            tasks.add(Behaviour.plain(i));
        }
        return client.submitAll(tasks);
    }

    /** Waits until every job is accounted for (at most {@code atMost}), then prints the accounting line. */
    Accounting settle(List<String> ids, Duration atMost) {
        return Accounting.settle(name, ids, ledger, admin(), atMost).print();
    }

    @Override
    public void close() {
        try {
            fleet.close();
        } finally {
            client.close();
            ledger.close();
        }
    }
}
