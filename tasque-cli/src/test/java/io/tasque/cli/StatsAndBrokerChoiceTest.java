package io.tasque.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        CliRun r = CliRun.run(Map.of(), "--broker", redis.uri(), "stats");
        assertEquals(0, r.exit(), r.toString());
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length, r.toString());
        assertEquals(List.of("NAME", "READY", "DELAYED", "RUNNING", "DEAD"), List.of(lines[0].trim().split("\\s+")));
        assertEquals(List.of("download", "2", "1", "0", "0"), List.of(row(lines, "download").trim().split("\\s+")));
        assertEquals(List.of("email", "0", "0", "0", "1"), List.of(row(lines, "email").trim().split("\\s+")));
        assertEquals("", r.err(), r.toString());
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
        CliRun r = CliRun.run(Map.of(), "--broker", redis.uri(), "stats", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode doc = JSON.readTree(r.out());
        assertTrue(doc.isArray(), r.out());
        assertEquals(2, doc.size(), r.out());
        for (JsonNode q : doc) {
            Map<String, Long> expected = q.get("name").asText().equals("download")
                    ? Map.of("ready", 2L, "delayed", 1L, "running", 0L, "dead", 0L)
                    : Map.of("ready", 0L, "delayed", 0L, "running", 0L, "dead", 1L);
            expected.forEach((k, v) -> assertEquals(v.longValue(), q.get(k).asLong(), k + " in " + q));
            assertEquals(5, q.size(), q.toString());
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
