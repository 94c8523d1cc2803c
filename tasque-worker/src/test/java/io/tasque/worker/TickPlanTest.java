package io.tasque.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tasque.Misfire;
import io.tasque.schedule.ScheduleTrigger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tick a firer fires and the next fire time, from fixed instants: cron, every, DST, ONCE and SKIP after downtime. */
class TickPlanTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    /** The ticks after {@code from} up to {@code until}, as a firer would compute them turn after turn. */
    private static List<String> ticks(ScheduleTrigger t, String from, String until) {
        List<String> out = new ArrayList<>();
        for (Instant i = t.next(Instant.parse(from)); !i.isAfter(Instant.parse(until)); i = t.next(i)) {
            out.add(i.toString());
        }
        return out;
    }

    @Test
    void onTimeCronTickFiresItselfAndMovesToTheNextDay() {
        ScheduleTrigger daily = ScheduleTrigger.cron("0 2 * * *", ZoneOffset.UTC);
        TickPlan p = TickPlan.of(daily, Misfire.ONCE, at("2026-11-30T02:00:00Z"), at("2026-11-30T02:00:00.004Z"));
        assertEquals("2026-11-30T02:00:00Z", iso(p.tickMillis()));
        assertEquals("2026-12-01T02:00:00Z", iso(p.nextMillis()));
    }

    @Test
    void aTickDueAtExactlyNowFiresAndTheNextIsStrictlyAfterIt() {
        ScheduleTrigger daily = ScheduleTrigger.cron("@daily", ZoneOffset.UTC);
        TickPlan p = TickPlan.of(daily, Misfire.ONCE, at("2026-11-30T00:00:00Z"), at("2026-11-30T00:00:00Z"));
        assertEquals("2026-11-30T00:00:00Z", iso(p.tickMillis()));
        assertEquals("2026-12-01T00:00:00Z", iso(p.nextMillis()));
    }

    @Test
    void everyTicksFallOnMultiplesOfThePeriodSinceTheEpoch() {
        ScheduleTrigger every = ScheduleTrigger.every(Duration.ofSeconds(10));
        assertEquals(List.of("2026-11-30T12:00:10Z", "2026-11-30T12:00:20Z", "2026-11-30T12:00:30Z"),
                ticks(every, "2026-11-30T12:00:03.500Z", "2026-11-30T12:00:30Z"));
        TickPlan p = TickPlan.of(every, Misfire.ONCE, at("2026-11-30T12:00:10Z"), at("2026-11-30T12:00:10.020Z"));
        assertEquals("2026-11-30T12:00:10Z", iso(p.tickMillis()));
        assertEquals("2026-11-30T12:00:20Z", iso(p.nextMillis()));
    }

    @Test
    void onceAfterDowntimeFiresOnlyTheLatestMissedTickThenTheFirstAfterNow() {
        ScheduleTrigger every = ScheduleTrigger.every(Duration.ofSeconds(1));
        // down from 12:00:00.5 to 12:00:05.7: ticks :01 … :05 were missed
        TickPlan p = TickPlan.of(every, Misfire.ONCE, at("2026-11-30T12:00:01Z"), at("2026-11-30T12:00:05.700Z"));
        assertEquals("2026-11-30T12:00:05Z", iso(p.tickMillis()));
        assertEquals("2026-11-30T12:00:06Z", iso(p.nextMillis()));

        ScheduleTrigger hourly = ScheduleTrigger.cron("@hourly", PARIS);
        TickPlan h = TickPlan.of(hourly, Misfire.ONCE, at("2026-11-30T08:00:00Z"), at("2026-11-30T11:20:00Z"));
        assertEquals("2026-11-30T11:00:00Z", iso(h.tickMillis()));
        assertEquals("2026-11-30T12:00:00Z", iso(h.nextMillis()));
    }

    @Test
    void skipAfterDowntimeFiresNothingAndResumesAtTheFirstTickAfterNow() {
        ScheduleTrigger every = ScheduleTrigger.every(Duration.ofSeconds(1));
        TickPlan p = TickPlan.of(every, Misfire.SKIP, at("2026-11-30T12:00:01Z"), at("2026-11-30T12:00:05.700Z"));
        assertEquals(TickPlan.NONE, p.tickMillis());
        assertEquals("2026-11-30T12:00:06Z", iso(p.nextMillis()));
    }

    @Test
    void skipFiresATickUpTo60sLateWhileTheNextIsNotDueAndDropsOneLater() {
        ScheduleTrigger daily = ScheduleTrigger.cron("0 2 * * *", ZoneOffset.UTC);
        TickPlan onTime = TickPlan.of(daily, Misfire.SKIP, at("2026-11-30T02:00:00Z"), at("2026-11-30T02:01:00Z"));
        assertEquals("2026-11-30T02:00:00Z", iso(onTime.tickMillis()));
        assertEquals("2026-12-01T02:00:00Z", iso(onTime.nextMillis()));
        TickPlan late = TickPlan.of(daily, Misfire.SKIP, at("2026-11-30T02:00:00Z"), at("2026-11-30T02:01:00.001Z"));
        assertEquals(TickPlan.NONE, late.tickMillis());
        assertEquals("2026-12-01T02:00:00Z", iso(late.nextMillis()));
        // the same 61 s late under ONCE: fired
        assertEquals("2026-11-30T02:00:00Z", iso(TickPlan.of(daily, Misfire.ONCE, at("2026-11-30T02:00:00Z"),
                at("2026-11-30T02:01:00.001Z")).tickMillis()));
    }

    @Test
    void springForwardInParisSkipsA0230DailyTickThatDay() {
        // 2026-03-29: clocks go from 02:00 +01:00 to 03:00 +02:00, so 02:30 does not exist that day
        ScheduleTrigger t = ScheduleTrigger.cron("30 2 * * *", PARIS);
        assertEquals(List.of("2026-03-28T01:30:00Z", "2026-03-30T00:30:00Z"),
                ticks(t, "2026-03-27T12:00:00Z", "2026-03-30T12:00:00Z"));
        // a firer on the 28th's tick moves straight to the 30th
        TickPlan p = TickPlan.of(t, Misfire.ONCE, at("2026-03-28T01:30:00Z"), at("2026-03-28T01:30:00.010Z"));
        assertEquals("2026-03-30T00:30:00Z", iso(p.nextMillis()));
    }

    @Test
    void fallBackInParisFiresA0230DailyTickOnceAndAnHourlyOneTwiceAt0200() {
        // 2026-10-25: clocks go from 03:00 +02:00 back to 02:00 +01:00, so 02:00-02:59 happens twice
        ScheduleTrigger daily = ScheduleTrigger.cron("30 2 * * *", PARIS);
        assertEquals(List.of("2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"),
                ticks(daily, "2026-10-23T12:00:00Z", "2026-10-26T12:00:00Z"));
        ScheduleTrigger hourly = ScheduleTrigger.cron("0 * * * *", PARIS);
        assertEquals(List.of("2026-10-24T23:00:00Z", "2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z"),
                ticks(hourly, "2026-10-24T22:30:00Z", "2026-10-25T02:00:00Z"));
    }

    @Test
    void cronInAZoneFollowsItsWallClock() {
        ScheduleTrigger t = ScheduleTrigger.cron("0 2 * * *", PARIS);
        TickPlan p = TickPlan.of(t, Misfire.ONCE, at("2026-11-30T01:00:00Z"), at("2026-11-30T01:00:00.001Z"));
        assertEquals("2026-11-30T01:00:00Z", iso(p.tickMillis())); // 02:00 +01:00
        assertEquals("2026-12-01T01:00:00Z", iso(p.nextMillis()));
    }
}
