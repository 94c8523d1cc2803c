package io.tasque.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Misfire;
import io.tasque.Task;
import io.tasque.codec.UndecodablePayloadException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stored form of a schedule: written the same way every time, read back as it was written. */
class ScheduleDefinitionTest {

    private static ScheduleDefinition of(Task t, ScheduleTrigger trigger) {
        return new ScheduleDefinition("nightly", trigger, Misfire.SKIP, t.name(), t.params(), t.headers(), 86_400_000);
    }

    @Test
    void aDefinitionReadsBackAsItWasWritten() {
        Map<String, Object> nested = new HashMap<>();
        nested.put("none", null);
        nested.put("list", List.of(1, 2.5, "x"));
        Task t = Task.of("report").set("format", "pdf").set("n", 3L).set("nested", nested).header("tenant", "acme");
        ScheduleDefinition d = of(t, ScheduleTrigger.cron("0 2 * * *", ZoneId.of("Europe/Paris")));
        ScheduleDefinition back = ScheduleDefinition.fromJson("nightly", d.toJson());
        assertEquals(d, back);
        assertEquals("cron 0 2 * * * Europe/Paris", back.trigger().text());
        assertEquals(Misfire.SKIP, back.misfire());
        assertEquals(86_400_000, back.ttlMillis());
        assertEquals(d.toJson(), back.toJson());
    }

    @Test
    void paramsAndHeadersSetInAnotherOrderWriteTheSameJson() {
        Task one = Task.of("report").set("a", 1).set("b", 2).header("x", "1").header("y", "2");
        Task two = Task.of("report").set("b", 2).set("a", 1).header("y", "2").header("x", "1");
        ScheduleTrigger every = ScheduleTrigger.every(Duration.ofSeconds(10));
        assertEquals(of(one, every).toJson(), of(two, every).toJson());
    }

    @Test
    void triggerTextParsesBackForEveryForm() {
        for (String text : List.of("every PT10S", "every PT1H", "cron @daily UTC", "cron */5 * * * 1-5 America/New_York")) {
            assertEquals(text, ScheduleTrigger.parse(text).text());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScheduleTrigger.parse("at noon"));
        assertTrue(e.getMessage().contains("'at noon'"), e.getMessage());
    }

    @Test
    void utcIsOneZoneWhateverItIsCalled() {
        for (ZoneId z : Arrays.asList(ZoneId.of("Z"), ZoneId.of("UTC"), ZoneId.of("Etc/UTC"), ZoneId.of("+00:00"))) {
            assertEquals("cron @hourly UTC", ScheduleTrigger.cron("@hourly", z).text(), z.toString());
        }
    }

    @Test
    void aStoredDefinitionThatIsNotOneFailsNamingTheSchedule() {
        UndecodablePayloadException e = assertThrows(UndecodablePayloadException.class,
                () -> ScheduleDefinition.fromJson("nightly", "{\"v\":1,\"trigger\":\"sometimes\"}"));
        assertTrue(e.getMessage().startsWith("schedule 'nightly': "), e.getMessage());
        assertThrows(UndecodablePayloadException.class, () -> ScheduleDefinition.fromJson("nightly", "[]"));
    }

    @Test
    void aTicksJobIdIsTheScheduleIdAndTheTickAsAnInstant() {
        assertEquals("nightly@2026-11-30T02:00:00Z", ScheduleDefinition.jobId("nightly", 1_796_004_000_000L));
        assertEquals("nightly@2026-11-30T02:00:00Z", Task.checkId(ScheduleDefinition.jobId("nightly", 1_796_004_000_000L)));
    }
}
