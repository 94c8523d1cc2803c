package io.tasque.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tasque.Task;
import io.tasque.broker.BrokerException;
import io.tasque.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's submit meters, against a real Redis that answers and then does not. */
class SubmitMetricsTest {

    @Test
    void submitsAreCountedByOutcomeAndTimedPerCall() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (RedisServer redis = RedisServer.start();
                TasqueClient client = TasqueClient.builder().broker(redis.uri()).enqueueTimeout(Duration.ofMillis(500))
                        .meterRegistry(meters).build()) {
            client.submit(Task.of("mail"));
            client.submit(Task.of("mail"), Duration.ofSeconds(5));
            client.submitAll(List.of(Task.of("mail"), Task.of("mail"), Task.of("mail")));
            client.submitAll(List.of(Task.of("mail"), Task.of("sms")));
            redis.pause();
            try {
                assertThrows(BrokerException.class, () -> client.submit(Task.of("sms")));
            } finally {
                redis.resume();
            }
            assertEquals(5.0, meters.find("tasque.submits").tags("task", "mail", "outcome", "stored").counter().count());
            assertEquals(2.0, meters.find("tasque.submits").tags("task", "(several)", "outcome", "stored").counter().count());
            assertEquals(1.0, meters.find("tasque.submits").tags("task", "sms", "outcome", "failed").counter().count());
            assertEquals(3, meters.find("tasque.submit.duration").tags("task", "mail").timer().count(), "one per call");
        }
    }
}
