package io.tasque.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Ticks when a 5-field Unix cron expression (minute hour day-of-month month day-of-week, as in crontab(5)) matches
 * the wall clock of a time zone. The macros {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}
 * stand for their usual 5-field meaning. Parsing and the next time are cron-utils' ({@code CronType.UNIX}).
 *
 * <p>Daylight saving time follows the zone's rules as cron-utils applies them (tested in the worker's
 * {@code TickPlanTest}, Europe/Paris): on a spring-forward day a wall-clock time that does not exist (02:30 on
 * the last Sunday of March) does not fire at all that day; on a fall-back day a time that exists twice fires
 * once, at its first occurrence (02:30 +02:00) for a daily expression, while an hourly expression fires at both
 * 02:00 +02:00 and 02:00 +01:00, an hour apart.
 */
public final class CronTrigger implements ScheduleTrigger {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime times;

    private CronTrigger(String expression, ZoneId zone, ExecutionTime times) {
        this.expression = expression;
        this.zone = zone;
        this.times = times;
    }

    /** The expression as given (a macro stays a macro), with runs of blanks made one space. */
    public String expression() {
        return expression;
    }

    /** The zone whose wall clock the expression matches. */
    public ZoneId zone() {
        return zone;
    }

    /**
     * Parses {@code expression} for {@code zone}.
     *
     * @throws IllegalArgumentException naming the expression and why it is refused: not 5 fields, a value out of
     *                                  range, an unknown macro, or a date that never comes (Feb 30)
     */
    public static CronTrigger of(String expression, ZoneId zone) {
        if (zone == null) {
            throw new IllegalArgumentException("zone must not be null (cron '" + expression + "')");
        }
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("cron expression must not be empty; use 5 fields such as '0 2 * * *' or a macro such as '@daily'");
        }
        String trimmed = expression.trim().replaceAll("\\s+", " ");
        String fields = trimmed.startsWith("@") ? MACROS.get(trimmed) : trimmed;
        if (fields == null) {
            throw new IllegalArgumentException("cron expression '" + expression + "' is an unknown macro; use one of "
                    + "@yearly @annually @monthly @weekly @daily @midnight @hourly, or 5 fields");
        }
        ExecutionTime times;
        try {
            Cron cron = PARSER.parse(fields);
            cron.validate();
            times = ExecutionTime.forCron(cron);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cron expression '" + expression + "' is not valid: " + e.getMessage()
                    + " (5 fields: minute hour day-of-month month day-of-week)", e);
        }
        // "Z", "UTC", "Etc/UTC" and "+00:00" are one zone: stored and compared as "UTC"
        ZoneId same = zone.normalized().equals(ZoneOffset.UTC) ? UTC : zone;
        CronTrigger trigger = new CronTrigger(trimmed, same, times);
        if (trigger.next(Instant.EPOCH) == null) {
            throw new IllegalArgumentException("cron expression '" + expression + "' never matches a date");
        }
        return trigger;
    }

    @Override
    public Instant next(Instant instant) {
        Optional<ZonedDateTime> next = times.nextExecution(instant.atZone(zone));
        return next.map(ZonedDateTime::toInstant).orElse(null);
    }

    @Override
    public Instant latest(Instant from, Instant now) {
        Optional<ZonedDateTime> before = times.lastExecution(now.atZone(zone));
        Instant last = before.map(ZonedDateTime::toInstant).orElse(from);
        Instant after = next(last);
        if (after != null && !after.isAfter(now)) {
            last = after; // a tick at exactly now: lastExecution looks strictly before
        }
        return last.isAfter(from) ? last : from;
    }

    @Override
    public String text() {
        return "cron " + expression + " " + zone.getId();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronTrigger c && c.expression.equals(expression) && c.zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expression, zone);
    }

    @Override
    public String toString() {
        return text();
    }
}
