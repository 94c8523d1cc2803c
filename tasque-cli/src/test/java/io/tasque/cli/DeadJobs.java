package io.tasque.cli;

import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.Delivery;
import io.tasque.client.TasqueClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Makes dead jobs quickly for tests: submits them, then leases and buries them through the broker. */
final class DeadJobs {

    private DeadJobs() {
    }

    /**
     * Submits {@code n} tasks of {@code name} (param {@code n} = 0…n-1) and buries them all with {@code reason}; returns their ids in order.
     * Buries whatever the queue holds, so call it before submitting other jobs of the same name.
     */
    static List<String> make(String uri, String name, int n, String reason) {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(Task.of(name).set("n", i));
        }
        List<String> ids;
        try (TasqueClient client = TasqueClient.connect(uri)) {
            ids = client.submitAll(tasks);
        }
        Broker broker = Brokers.open(uri, BrokerOptions.defaults());
        try {
            int buried = 0;
            while (buried < n) {
                List<Delivery> got = broker.reserve(List.of(name), 500, Duration.ofMinutes(1)).deliveries();
                if (got.isEmpty()) {
                    throw new IllegalStateException("only " + buried + " of " + n + " jobs of " + name + " could be leased");
                }
                for (Delivery d : got) {
                    if (!broker.bury(d, reason)) {
                        throw new IllegalStateException("could not bury " + d);
                    }
                    buried++;
                }
            }
        } finally {
            broker.close();
        }
        return ids;
    }
}
