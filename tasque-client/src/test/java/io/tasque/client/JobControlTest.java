package io.tasque.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Caller-chosen ids and job lookups through the client, on a real Redis. */
@WithRedis
class JobControlTest {

    private final RedisServer redis;
    private TasqueClient client;

    JobControlTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void connect() {
        redis.flushAll();
        client = TasqueClient.connect(redis.uri());
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void aSecondSubmitWithTheSameIdReturnsItAndStoresNothing() {
        assertEquals("order-42", client.submit(Task.of("orders").id("order-42").set("n", 1)));
        assertEquals("order-42", client.submit(Task.of("orders").id("order-42").set("n", 2)));
        assertEquals("order-43", client.submit(Task.of("orders").id("order-43"), Duration.ofMinutes(1)));
        assertEquals("order-43", client.submit(Task.of("orders").id("order-43")));
        assertEquals(new QueueCounts("orders", 1, 1, 0, 0), client.admin().stats("orders"));
        JobInfo first = client.admin().job("orders", "order-42").orElseThrow();
        assertEquals(JobState.READY, first.state());
        assertEquals(Map.of("n", 1), first.params());
        assertEquals(0, first.attempt());
        assertNull(first.lastError());
        assertEquals(JobState.DELAYED, client.admin().job("orders", "order-43").orElseThrow().state());
        assertTrue(client.admin().job("orders", "order-44").isEmpty());
    }

    @Test
    void twoClientsRacingOnOneHundredIdsStoreExactlyOneHundredJobs() throws Exception {
        try (TasqueClient other = TasqueClient.connect(redis.uri())) {
            List<TasqueClient> clients = List.of(client, other);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> ids = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    TasqueClient c = clients.get(i % 2);
                    String id = "key-" + (i * 7 % 100);
                    ids.add(pool.submit(() -> c.submit(Task.of("race").id(id))));
                }
                Set<String> returned = new HashSet<>();
                for (Future<String> f : ids) {
                    returned.add(f.get(30, TimeUnit.SECONDS));
                }
                assertEquals(100, returned.size());
            } finally {
                pool.shutdownNow();
            }
        }
        assertEquals(100, client.admin().stats("race").ready());
    }

    @Test
    void submitAllHonoursIdsPerTask() {
        List<Task> tasks = List.of(Task.of("bulk").id("a"), Task.of("bulk").set("made", true), Task.of("bulk").id("a"),
                Task.of("bulk").id("b"));
        List<String> ids = client.submitAll(tasks);
        assertEquals("a", ids.get(0));
        assertEquals("a", ids.get(2));
        assertEquals("b", ids.get(3));
        assertEquals(3, client.admin().stats("bulk").ready());
        client.submitAll(List.of(Task.of("bulk").id("a"), Task.of("bulk").id("b")));
        assertEquals(3, client.admin().stats("bulk").ready());
        assertEquals(List.of("a", ids.get(1), "b"),
                client.admin().jobs("bulk", JobState.READY, 10).stream().map(JobInfo::id).toList());
        assertEquals(List.of("a"), client.admin().jobs("bulk", JobState.READY, 1).stream().map(JobInfo::id).toList());
        assertEquals(List.of(), client.admin().jobs("bulk", JobState.CANCELLED, 10));
    }

    @Test
    void badIdsAreRefusedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Task.of("orders").id("order 42"));
        assertTrue(e.getMessage().contains("'order 42'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> client.admin().job("orders", ""));
        assertThrows(IllegalArgumentException.class, () -> client.admin().jobs("orders", JobState.READY, -1));
    }
}
