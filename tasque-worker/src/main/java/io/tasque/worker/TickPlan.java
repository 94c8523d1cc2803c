package io.tasque.worker;

import io.tasque.Misfire;
import io.tasque.schedule.ScheduleTrigger;
import java.time.Instant;

/**
 * What a firer does with a schedule whose stored next tick is due: the tick to fire ({@link #NONE} to fire nothing)
 * and the schedule's next fire time from then on. Pure arithmetic over the trigger, the catch-up policy and the
 * broker's time, so it is tested with fixed instants ({@code TickPlanTest}).
 *
 * <ul>
 *   <li>{@link Misfire#ONCE}: the tick fired is the latest one at or before now (the stored one when it is on time;
 *       after downtime the latest missed one, the earlier missed ones dropped);</li>
 *   <li>{@link Misfire#SKIP}: the stored tick is fired only while it is on time: at most
 *       {@link Misfire#SKIP_AFTER_MILLIS} late and the tick after it not yet due; otherwise nothing is fired;</li>
 *   <li>either way the next fire time is the first tick strictly after now, so missed ticks never pile up.</li>
 * </ul>
 */
record TickPlan(long tickMillis, long nextMillis) {

    /** {@link #tickMillis()} when no tick is fired: the due ones are dropped. */
    static final long NONE = -1;
    /** The next fire time of a cron that matches no more date (Dec 31, 9999): it never comes due. */
    static final long NEVER = 253_402_300_799_999L;

    /** The plan for a schedule whose stored next tick {@code storedNextMillis} is at or before {@code nowMillis}. */
    static TickPlan of(ScheduleTrigger trigger, Misfire misfire, long storedNextMillis, long nowMillis) {
        Instant stored = Instant.ofEpochMilli(storedNextMillis);
        Instant now = Instant.ofEpochMilli(nowMillis);
        Instant latest = trigger.latest(stored, now);
        Instant after = trigger.next(now);
        long next = after == null ? NEVER : after.toEpochMilli();
        long tick = switch (misfire) {
            case ONCE -> latest.toEpochMilli();
            case SKIP -> latest.equals(stored) && nowMillis - storedNextMillis <= Misfire.SKIP_AFTER_MILLIS
                    ? storedNextMillis : NONE;
        };
        return new TickPlan(tick, next);
    }
}
