package io.tasque.broker.disque;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.worker.Worker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** A client and a worker on Disque, through {@code disque://} URIs, end to end. */
@Tag("slow")
class DisqueClientWorkerTest {

    private static DisqueDeployment disque;

    @BeforeAll
    static void startDisque() {
        disque = DisqueDeployment.singleNode();
        Assumptions.assumeTrue(disque != null, DisqueDeployment.NO_DISQUE);
    }

    @AfterAll
    static void stopDisque() {
        if (disque != null) {
            disque.close();
        }
    }

    @BeforeEach
    void flush() {
        disque.flush();
    }

    @Test
    void aTaskNameWithSpacesAndBracesThatGoTasqueServesRoundTrips() {
        String name = "send email {x}";
        AtomicReference<Task> seen = new AtomicReference<>();
        try (TasqueClient client = TasqueClient.connect(disque.uri());
             Worker worker = Worker.builder().broker(disque.uri()).handle(name, seen::set).build()) {
            String id = client.submit(Task.of(name).set("to", "ann@example.org"));
            try (Jedis raw = DisqueDeployment.connect(disque.liveAddresses().get(0))) {
                assertEquals(1L, raw.sendCommand(DisqueCommand.QLEN, "__tasque__" + name), "Go tasque's queue name");
            }
            worker.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.get() != null);
            assertEquals(name, seen.get().name());
            assertEquals(id, seen.get().id());
            assertEquals("ann@example.org", seen.get().param("to", String.class));
            assertEquals(0, client.admin().stats(name).ready());
        }
    }
    @Test
    void everyRunSeesTheIdSubmitReturnedThoughARetryIsANewDisqueJob() {
        java.util.List<String> seenIds = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TasqueClient client = TasqueClient.connect(disque.uri());
             Worker worker = Worker.builder().broker(disque.uri()).retryBackoff(Duration.ofMillis(100), 1, Duration.ofMillis(100))
                     .handle("flaky", task -> {
                         seenIds.add(task.id());
                         if (task.attempt() < 3) {
                             throw new IllegalStateException("run " + task.attempt() + " fails");
                         }
                     }).build()) {
            String id = client.submit(Task.of("flaky"));
            worker.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> seenIds.size() == 3);
            assertEquals(java.util.List.of(id, id, id), seenIds);
        }
    }

    @Test
    void headersReachTheHandlerThroughDisque() {
        AtomicReference<Task> seen = new AtomicReference<>();
        try (TasqueClient client = TasqueClient.builder().broker(disque.uri()).intercept(t -> t.header("by", "client")).build();
             Worker worker = Worker.builder().broker(disque.uri()).handle("hdr", seen::set).build()) {
            client.submit(Task.of("hdr").header("trace", "t-1"));
            worker.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.get() != null);
            assertEquals(java.util.Map.of("trace", "t-1", "by", "client"), seen.get().headers());
        }
    }
}
