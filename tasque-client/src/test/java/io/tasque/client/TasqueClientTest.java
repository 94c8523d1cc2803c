package io.tasque.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.BrokerException;
import io.tasque.codec.PayloadTooLargeException;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithRedis
class TasqueClientTest {

    private final RedisServer redis;
    private TasqueClient client;

    TasqueClientTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void connect() {
        client = TasqueClient.connect(redis.uri());
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void submitReturnsTheIdOfTheStoredJob() {
        String id = client.submit(Task.of("foo").set("text", "hello"));
        assertEquals(new QueueCounts("foo", 1, 0, 0, 0), client.admin().stats("foo"));
        String payload = redis.command("HGET", "tasque:{foo}:jobs", id);
        assertTrue(payload.contains("\"name\":\"foo\"") && payload.contains("\"text\":\"hello\"") && payload.contains("\"id\":\"" + id + "\""), payload);
        assertEquals(id, redis.command("LRANGE", "tasque:{foo}:ready", "0", "-1"));
    }

    @Test
    void submitAllStoresEveryTaskAndReturnsTheIdsInOrder() {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            tasks.add(Task.of(i % 2 == 0 ? "even" : "odd").set("i", i));
        }
        List<String> ids = client.submitAll(tasks);
        assertEquals(2500, ids.size());
        assertEquals(2500, ids.stream().distinct().count());
        assertEquals(1250, client.admin().stats("even").ready());
        assertEquals(1250, client.admin().stats("odd").ready());
        assertEquals(ids.get(0), redis.command("LINDEX", "tasque:{even}:ready", "0"));
    }

    @Test
    void concurrentSubmitsShareRoundTripsAndEveryOneGetsItsOwnStoredId() throws Exception {
        int threads = 50;
        int each = 200;
        redis.command("CONFIG", "RESETSTAT");
        java.util.Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    ids.add(client.submit(Task.of("many").set("t", thread).set("i", i)));
                }
            }));
        }
        for (java.util.concurrent.Future<?> f : futures) {
            f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(threads * each, ids.size());
        assertEquals(threads * each, client.admin().stats("many").ready());
        String calls = redis.command("INFO", "commandstats");
        long evalsha = calls.lines().filter(l -> l.startsWith("cmdstat_evalsha:")).mapToLong(l -> Long.parseLong(l.replaceAll(".*calls=(\\d+).*", "$1"))).sum();
        assertTrue(evalsha < threads * each, "submits were grouped: " + evalsha + " script calls for " + threads * each + " jobs");
    }

    @Test
    void aDelayedSubmitWaitsInTheDelayedSet() {
        client.submit(Task.of("later"), Duration.ofMinutes(5));
        assertEquals(new QueueCounts("later", 0, 1, 0, 0), client.admin().stats("later"));
    }

    @Test
    void badInputFailsAtTheCallAndEnqueuesNothing() {
        TasqueClient small = TasqueClient.builder().broker(redis.uri()).maxPayloadBytes(1024).build();
        try {
            PayloadTooLargeException big = assertThrows(PayloadTooLargeException.class,
                    () -> small.submit(Task.of("foo").set("blob", "x".repeat(5000))));
            assertTrue(big.getMessage().contains("limit of 1024"), big.getMessage());
            List<Task> mixed = List.of(Task.of("foo").set("a", 1), Task.of("foo").set("blob", "x".repeat(5000)));
            assertThrows(PayloadTooLargeException.class, () -> small.submitAll(mixed));
        } finally {
            small.close();
        }
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
                () -> client.submit(Task.of("foo"), Duration.ofSeconds(-1)));
        assertTrue(neg.getMessage().contains("PT-1S"), neg.getMessage());
        assertThrows(NullPointerException.class, () -> client.submit(null));
        assertThrows(IllegalArgumentException.class, () -> client.submitAll(java.util.Arrays.asList(Task.of("foo"), null)));
        assertEquals("0", redis.command("DBSIZE"));
    }

    @Test
    void aBadUriIsRejectedAtConnectNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TasqueClient.connect("redis://localhost:70000"));
        assertTrue(e.getMessage().contains("'redis://localhost:70000'") && e.getMessage().contains("port"), e.getMessage());
    }

    @Test
    void anUnreachableBrokerFailsWithinTheEnqueueTimeoutNamingIt() {
        try (TasqueClient nowhere = TasqueClient.builder().broker("redis://127.0.0.1:1").enqueueTimeout(Duration.ofMillis(800)).build()) {
            long start = System.nanoTime();
            BrokerException e = assertThrows(BrokerException.class, () -> nowhere.submit(Task.of("foo")));
            assertTrue(System.nanoTime() - start < 800_000_000L + 300_000_000L);
            assertTrue(e.getMessage().contains("redis://127.0.0.1:1/0"), e.getMessage());
        }
    }

    @Test
    void aFrozenBrokerFailsWithinTheEnqueueTimeoutNamingIt() {
        try (TasqueClient c = TasqueClient.builder().broker(redis.uri()).enqueueTimeout(Duration.ofMillis(800)).build()) {
            c.submit(Task.of("warm"));
            redis.pause();
            long start = System.nanoTime();
            BrokerException e = assertThrows(BrokerException.class, () -> c.submit(Task.of("foo")));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 800 + 300, "took " + ms + " ms");
            assertTrue(e.getMessage().contains("127.0.0.1:" + redis.port()), e.getMessage());
        } finally {
            redis.resume();
        }
    }

    @Test
    void theCircuitBreakerFailsFastAfterRepeatedFailuresThenRecoversByItself() throws Exception {
        CircuitBreakerSettings quick = new CircuitBreakerSettings(true, 50f, 2, 2, Duration.ofMillis(300), 1);
        try (TasqueClient c = TasqueClient.builder().broker(redis.uri()).enqueueTimeout(Duration.ofMillis(300)).circuitBreaker(quick).build()) {
            redis.pause();
            try {
                assertThrows(BrokerException.class, () -> c.submit(Task.of("foo")));
                assertThrows(BrokerException.class, () -> c.submit(Task.of("foo")));
                long start = System.nanoTime();
                BrokerException fast = assertThrows(BrokerException.class, () -> c.submit(Task.of("foo")));
                assertTrue(System.nanoTime() - start < 100_000_000L, "an open circuit must not wait for the broker");
                assertTrue(fast.getMessage().contains("failing fast"), fast.getMessage());
            } finally {
                redis.resume();
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            String id = null;
            while (id == null && System.nanoTime() < deadline) {
                try {
                    id = c.submit(Task.of("foo"));
                } catch (BrokerException stillOpen) {
                    Thread.onSpinWait();
                }
            }
            assertTrue(id != null, "the circuit closed again once the broker answered");
            assertEquals(1, c.admin().stats("foo").ready());
        }
    }
}
