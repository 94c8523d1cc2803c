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
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tasque schedules} as a table and as JSON. */
@WithRedis
class SchedulesCommandTest {

    private final RedisServer redis;

    SchedulesCommandTest(RedisServer redis) {
        this.redis = redis;
    }

    @Test
    void schedulesListsEveryStoredScheduleAsATableAndAsJson() throws Exception {
        try (TasqueClient c = TasqueClient.connect(redis.uri())) {
            c.schedule("nightly", "0 2 * * *", ZoneId.of("Europe/Paris"), Task.of("report"));
            c.scheduleEvery("ping", Duration.ofSeconds(10), Task.of("heartbeat"));
        }
        CliRun table = CliRun.run(Map.of(), "--broker", redis.uri(), "schedules");
        assertEquals(0, table.exit(), table.toString());
        assertTrue(table.out().startsWith("ID"), table.out());
        assertTrue(table.out().contains("nightly") && table.out().contains("cron 0 2 * * * Europe/Paris"), table.out());
        assertTrue(table.out().contains("ping") && table.out().contains("every PT10S"), table.out());

        CliRun json = CliRun.run(Map.of(), "--broker", redis.uri(), "schedules", "--json");
        assertEquals(0, json.exit(), json.toString());
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertEquals(2, doc.size(), json.out());
        for (JsonNode s : doc) {
            assertEquals("ONCE", s.get("misfire").asText());
            assertTrue(s.get("nextFire").asText().endsWith("Z"), json.out());
        }
    }
}
