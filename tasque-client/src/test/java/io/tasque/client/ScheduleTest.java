package io.tasque.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Misfire;
import io.tasque.Task;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Registering, replacing, listing and removing schedules through the client, and what it refuses. */
@WithRedis
class ScheduleTest {

    private static final String NEXT = "tasque:{schedules}:next";
    private static final Task REPORT = Task.of("report").set("format", "pdf");

    private final RedisServer redis;
    private TasqueClient client;

    ScheduleTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void connect() {
        redis.command("FLUSHALL");
        client = TasqueClient.connect(redis.uri());
    }

    @AfterEach
    void close() {
        client.close();
    }

    private static void assertRefused(Executable call, String... words) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
        }
    }

    @Test
    void badCronExpressionsAreRefusedNamingTheExpressionAndWhy() {
        assertRefused(() -> client.schedule("s", "61 * * * *", REPORT), "'61 * * * *'", "61 not in range [0, 59]");
        assertRefused(() -> client.schedule("s", "* * *", REPORT), "'* * *'", "3 parts");
        assertRefused(() -> client.schedule("s", "0 2 * * * *", REPORT), "'0 2 * * * *'", "6 parts");
        assertRefused(() -> client.schedule("s", "@reboot", REPORT), "'@reboot'", "unknown macro");
        assertRefused(() -> client.schedule("s", "0 0 30 2 *", REPORT), "'0 0 30 2 *'", "never matches a date");
        assertRefused(() -> client.schedule("s", "", REPORT), "cron expression must not be empty");
        assertEquals(List.of(), client.admin().schedules(), "nothing was stored");
    }

    @Test
    void badIdsPeriodsAndArgumentsAreRefusedNamingTheValue() {
        assertRefused(() -> client.schedule("nightly report", "@daily", REPORT), "'nightly report'", "whitespace");
        assertRefused(() -> client.schedule("", "@daily", REPORT), "schedule id", "must not be empty");
        assertRefused(() -> client.schedule("x".repeat(81), "@daily", REPORT), "81 characters", "limit of 80");
        assertRefused(() -> client.scheduleEvery("s", Duration.ofMillis(999), REPORT), "every", "PT0.999S");
        assertRefused(() -> client.scheduleEvery("s", null, REPORT), "every must not be null");
        assertRefused(() -> client.schedule("s", "@daily", null), "template must not be null");
        assertRefused(() -> client.schedule("s", "@daily", (ZoneId) null, REPORT), "zone must not be null");
        assertRefused(() -> client.schedule("s", "@daily", Task.of("report").id("fixed-1")), "'fixed-1'", "Task.id");
        assertRefused(() -> client.unschedule("a b"), "'a b'");
        assertEquals(List.of(), client.admin().schedules(), "nothing was stored");
    }

    @Test
    void everyMacroIsAcceptedAndListedAsGiven() {
        List<String> macros = List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");
        for (String m : macros) {
            client.schedule(m.substring(1), m, REPORT);
        }
        List<ScheduleInfo> listed = client.admin().schedules();
        assertEquals(macros.size(), listed.size());
        for (ScheduleInfo s : listed) {
            assertEquals("cron @" + s.id() + " UTC", s.definition());
            assertTrue(s.nextFire().isAfter(Instant.now().minusSeconds(5)), s.toString());
        }
        Instant hourly = listed.stream().filter(s -> s.id().equals("hourly")).findFirst().orElseThrow().nextFire();
        assertEquals(0, hourly.getEpochSecond() % 3600, "@hourly ticks at the full hour: " + hourly);
    }

    @Test
    void schedulesListsTaskDefinitionPolicyAndNextAndLastFireTimes() {
        Instant before = Instant.now();
        client.scheduleEvery("often", Duration.ofSeconds(10), REPORT, Misfire.SKIP);
        client.schedule("nightly", "0 2 * * *", ZoneId.of("Europe/Paris"), REPORT);
        List<ScheduleInfo> listed = client.admin().schedules();
        assertEquals(List.of("nightly", "often"), listed.stream().map(ScheduleInfo::id).toList());
        ScheduleInfo nightly = listed.get(0);
        assertEquals("report", nightly.taskName());
        assertEquals("cron 0 2 * * * Europe/Paris", nightly.definition());
        assertEquals(Misfire.ONCE, nightly.misfire());
        assertNull(nightly.lastFire());
        ScheduleInfo often = listed.get(1);
        assertEquals("every PT10S", often.definition());
        assertEquals(Misfire.SKIP, often.misfire());
        assertEquals(0, often.nextFire().toEpochMilli() % 10_000, "ticks at multiples of 10 s: " + often.nextFire());
        assertTrue(often.nextFire().isAfter(before.minusSeconds(1)) && often.nextFire().isBefore(before.plusSeconds(15)),
                often.nextFire() + " after " + before);

        redis.command("HSET", "tasque:{schedules}:last", "often", "1796040840000"); // as a firer marks a tick fired
        assertEquals(Instant.ofEpochMilli(1796040840000L), client.admin().schedules().get(1).lastFire());
    }

    @Test
    void theSameDefinitionAgainKeepsTheNextFireTimeAndAnotherReplacesIt() {
        client.schedule("nightly", "0 2 * * *", REPORT);
        redis.command("ZADD", NEXT, "1000", "nightly"); // stands for a next fire time a firer moved on
        client.schedule("nightly", "0 2 * * *", ZoneId.of("UTC"), Task.of("report").set("format", "pdf"));
        assertEquals("1000", redis.command("ZSCORE", NEXT, "nightly"), "same definition: nothing changed");

        client.schedule("nightly", "0 2 * * *", REPORT.set("format", "html"));
        long next = Long.parseLong(redis.command("ZSCORE", NEXT, "nightly"));
        assertTrue(next > 1000 && next % 86_400_000 == 7_200_000, "new params: next fire time recomputed, 02:00 UTC: " + next);
        redis.command("ZADD", NEXT, "1000", "nightly");
        client.schedule("nightly", "0 3 * * *", REPORT.set("format", "html"));
        assertTrue(Long.parseLong(redis.command("ZSCORE", NEXT, "nightly")) % 86_400_000 == 10_800_000, "new expression");
        redis.command("ZADD", NEXT, "1000", "nightly");
        client.schedule("nightly", "0 3 * * *", ZoneId.of("UTC"), REPORT.set("format", "html"), Misfire.SKIP);
        assertTrue(Long.parseLong(redis.command("ZSCORE", NEXT, "nightly")) > 1000, "new policy");
        assertEquals(1, client.admin().schedules().size());
    }

    @Test
    void theInMemoryBrokerRefusesSchedulesNamingItself() {
        try (TasqueClient memory = TasqueClient.connect("memory://schedule-test")) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> memory.scheduleEvery("often", Duration.ofSeconds(10), REPORT));
            assertEquals("the broker memory://schedule-test cannot store schedules", e.getMessage());
            assertThrows(UnsupportedOperationException.class, () -> memory.admin().schedules());
        }
    }

    @Test
    void unscheduleRemovesAScheduleAndSaysWhetherThereWasOne() {
        client.scheduleEvery("often", Duration.ofSeconds(10), REPORT);
        assertTrue(client.unschedule("often"));
        assertFalse(client.unschedule("often"));
        assertEquals(List.of(), client.admin().schedules());
    }
}
