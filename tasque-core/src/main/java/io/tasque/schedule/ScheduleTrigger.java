package io.tasque.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * When a schedule's ticks fall: a cron expression in a time zone ({@link CronTrigger}) or a fixed period
 * ({@link EveryTrigger}). Its {@link #text()} ("cron 0 2 * * * Europe/Paris", "every PT10S") is how it is stored and
 * shown, and {@link #parse} reads that text back.
 */
public sealed interface ScheduleTrigger permits CronTrigger, EveryTrigger {

    /** The first tick strictly after {@code instant}, or null if there is none (a cron that matches no more date). */
    Instant next(Instant instant);

    /**
     * The latest tick at or before {@code now} and not before {@code from} (a tick itself), or {@code from} if no
     * later tick is due yet.
     */
    Instant latest(Instant from, Instant now);

    /** The definition as text: {@code cron <expression> <zone>} or {@code every <ISO-8601 duration>}. */
    String text();

    /** A cron trigger; see {@link CronTrigger#of}. */
    static ScheduleTrigger cron(String expression, ZoneId zone) {
        return CronTrigger.of(expression, zone);
    }

    /** A fixed-period trigger; see {@link EveryTrigger#of}. */
    static ScheduleTrigger every(Duration every) {
        return EveryTrigger.of(every);
    }

    /**
     * Reads a trigger's {@link #text()} back.
     *
     * @throws IllegalArgumentException naming the text when it is neither form, or its expression, zone or period
     *                                  is not valid
     */
    static ScheduleTrigger parse(String text) {
        if (text != null && text.startsWith("every ")) {
            return EveryTrigger.of(Duration.parse(text.substring("every ".length())));
        }
        if (text != null && text.startsWith("cron ")) {
            String rest = text.substring("cron ".length());
            int zoneAt = rest.lastIndexOf(' ');
            if (zoneAt > 0) {
                return CronTrigger.of(rest.substring(0, zoneAt), ZoneId.of(rest.substring(zoneAt + 1)));
            }
        }
        throw new IllegalArgumentException("schedule trigger '" + text
                + "' is neither 'cron <expression> <zone>' nor 'every <ISO-8601 duration>'");
    }
}
