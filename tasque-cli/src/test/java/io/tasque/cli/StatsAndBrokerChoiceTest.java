package io.tasque.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code tasque stats} as a table and as JSON, and which broker a command talks to: {@code --broker}, else {@code TASQUE_BROKER}. */
@WithRedis
class StatsAndBrokerChoiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisServer redis;

    StatsAndBrokerChoiceTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void someJobs() {
        DeadJobs.make(redis.uri(), "email", 1, "boom");
        try (TasqueClient c = TasqueClient.connect(redis.uri())) {
            c.submit(Task.of("download"));
            c.submit(Task.of("download"));
            c.submit(Task.of("download"), Duration.ofMinutes(5));
        }
    }

    @Test
    void statsPrintsATableOfEveryQueue() {
        CliRun r = CliRun.run(Map.of(), "--broker", redis.uri(), "stats", "--interval", "0");
        assertEquals(0, r.exit(), r.toString());
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length, r.toString());
        assertEquals(List.of("NAME", "READY", "DELAYED", "RUNNING", "DEAD", "COMPLETED", "FAILED", "RATE"),
                List.of(lines[0].trim().split("\\s+")));
        assertEquals(List.of("download", "2", "1", "0", "0", "0", "0", "-"), List.of(row(lines, "download").trim().split("\\s+")));
        assertEquals(List.of("email", "0", "0", "0", "1", "0", "1", "-"), List.of(row(lines, "email").trim().split("\\s+")));
        assertEquals("", r.err(), r.toString());
    }

    @Test
    void rateIsTheRunsCompletedPerSecondWhileStatsWatched() throws Exception {
        List<Task> flow = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            flow.add(Task.of("flow").set("i", i));
        }
        try (TasqueClient c = TasqueClient.connect(redis.uri())) {
            c.submitAll(flow);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acked = new AtomicInteger();
        Broker worker = Brokers.open(redis.uri(), BrokerOptions.defaults());
        Thread acker = new Thread(() -> {
            // one job every 2 ms or so: at most 5000 jobs, so the flow lasts longer than the stats command
            while (!stop.get()) {
                List<Delivery> got = worker.reserve(List.of("flow"), 1, Duration.ofMinutes(1)).deliveries();
                if (got.isEmpty()) {
                    return;
                }
                worker.ack(got);
                acked.incrementAndGet();
                LockSupport.parkNanos(2_000_000);
            }
        }, "acker");
        try {
            acker.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> acked.get() > 0);
            CliRun r = CliRun.run(Map.of(), "--broker", redis.uri(), "stats", "--interval", "1s", "--json");
            assertTrue(acker.isAlive(), "jobs still flowed when stats had finished watching");
            assertEquals(0, r.exit(), r.toString());
            Map<String, JsonNode> byName = new HashMap<>();
            JSON.readTree(r.out()).forEach(q -> byName.put(q.get("name").asText(), q));
            JsonNode f = byName.get("flow");
            assertTrue(f.get("rate").asDouble() > 0, "a positive rate while jobs complete: " + f);
            assertTrue(f.get("rate").asDouble() <= 1000, "at most one run every 1 ms: " + f);
            assertTrue(f.get("completed").asLong() > 0, f.toString());
            assertEquals(0.0, byName.get("download").get("rate").asDouble(), "nothing of download completed: " + byName);
            assertEquals(1, byName.get("email").get("failed").asLong(), byName.toString());
        } finally {
            stop.set(true);
            acker.join(10_000);
            worker.close();
        }
    }

    @Test
    void aNegativeIntervalIsAUsageError() {
        CliRun r = CliRun.run(Map.of(), "--broker", redis.uri(), "stats", "--interval", "-PT1S");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("'-PT1S' is not a duration"), r.toString());
    }

    private static String row(String[] lines, String name) {
        for (String l : lines) {
            if (l.startsWith(name + " ")) {
                return l;
            }
        }
        throw new AssertionError("no row for " + name + " in " + String.join("\n", lines));
    }

    @Test
    void statsJsonIsOneArrayOfCounts() throws Exception {
        CliRun r = CliRun.run(Map.of(), "--broker", redis.uri(), "stats", "--json", "--interval", "0");
        assertEquals(0, r.exit(), r.toString());
        JsonNode doc = JSON.readTree(r.out());
        assertTrue(doc.isArray(), r.out());
        assertEquals(2, doc.size(), r.out());
        for (JsonNode q : doc) {
            Map<String, Long> expected = q.get("name").asText().equals("download")
                    ? Map.of("ready", 2L, "delayed", 1L, "running", 0L, "dead", 0L)
                    : Map.of("ready", 0L, "delayed", 0L, "running", 0L, "dead", 1L);
            expected.forEach((k, v) -> assertEquals(v.longValue(), q.get(k).asLong(), k + " in " + q));
            assertEquals(8, q.size(), q.toString());
        }
    }

    @Test
    void theBrokerComesFromTasqueBrokerWhenNoOptionGivesIt() throws Exception {
        CliRun r = CliRun.run(Map.of("TASQUE_BROKER", redis.uri()), "stats", "--json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(2, JSON.readTree(r.out()).size(), r.out());
    }

    @Test
    void theBrokerOptionWinsOverTasqueBroker() throws Exception {
        CliRun r = CliRun.run(Map.of("TASQUE_BROKER", "redis://127.0.0.1:1"), "--broker", redis.uri(), "stats", "--json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(2, JSON.readTree(r.out()).size(), r.out());
    }

    @Test
    void withoutAnyBrokerItIsAUsageError() {
        CliRun r = CliRun.run(Map.of(), "stats");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("no broker: give --broker URI before the command, or set TASQUE_BROKER"), r.toString());
        assertEquals("", r.out(), r.toString());
    }
}
