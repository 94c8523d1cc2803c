package io.tasque.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.Delivery;
import io.tasque.codec.Envelope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Submit interceptors on the {@code memory://} broker: what they return is what is stored, in registration order. */
class SubmitInterceptorTest {

    private final String uri = "memory://submit-interceptors-" + UUID.randomUUID();
    private final Broker broker = Brokers.open(uri, BrokerOptions.defaults());
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    private Envelope stored(String queue) {
        List<Delivery> d = broker.reserve(List.of(queue), 1, Duration.ofSeconds(30)).deliveries();
        assertEquals(1, d.size());
        return broker.codec(Integer.MAX_VALUE).decode(d.get(0).payload());
    }

    @Test
    void interceptorsRunInOrderOnEveryKindOfSubmitAndTheirHeadersAreStored() {
        try (TasqueClient client = TasqueClient.builder().broker(uri)
                .intercept(t -> {
                    calls.add("first " + t.name());
                    return t.header("a", "1");
                })
                .intercept(t -> {
                    calls.add("second sees " + t.headers());
                    return t.header("b", "2");
                })
                .build()) {
            client.submit(Task.of("now").header("own", "x"));
            client.submit(Task.of("later"), Duration.ofMillis(1));
            client.submitAll(List.of(Task.of("many")));
        }
        assertEquals(List.of("first now", "second sees {own=x, a=1}", "first later", "second sees {a=1}",
                "first many", "second sees {a=1}"), calls);
        assertEquals(Map.of("own", "x", "a", "1", "b", "2"), stored("now").headers());
        assertEquals(Map.of("a", "1", "b", "2"), stored("many").headers());
    }

    @Test
    void aNullFromAnInterceptorFailsTheSubmitNamingItAndNothingIsStored() {
        try (TasqueClient client = TasqueClient.builder().broker(uri)
                .intercept(t -> t)
                .intercept(t -> t.name().equals("bad") ? null : t)
                .build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> client.submitAll(List.of(Task.of("bad-neighbour"), Task.of("bad"))));
            assertTrue(e.getMessage().startsWith("submit interceptor #2 (" + SubmitInterceptorTest.class.getName()), e.getMessage());
            assertTrue(e.getMessage().contains("returned null for task 'bad'"), e.getMessage());
            assertEquals(0, client.admin().stats("bad-neighbour").ready(), "submitAll sent nothing");
        }
    }
}
