package io.tasque;

/**
 * What a schedule does about ticks that passed while no worker could fire them (all workers down, a broker outage):
 * its catch-up policy, chosen per schedule. Either way a tick is never fired twice, and missed ticks never pile up
 * into a burst of jobs.
 */
public enum Misfire {

    /**
     * Fire one job for the latest tick that was missed, then go on with the first tick after now; earlier missed
     * ticks are dropped. A tick fired on time is simply that latest tick. The default.
     */
    ONCE,

    /**
     * Fire a tick only while it is on time: at most {@link #SKIP_AFTER_MILLIS} late by the broker's clock and
     * before the tick after it is due. A tick that is later than that is dropped with every other missed tick, and
     * the schedule goes on with the first tick after now: no catch-up job at all.
     */
    SKIP;

    /** How late a tick may be fired under {@link #SKIP}: 60 s (and never once the next tick is due). */
    public static final long SKIP_AFTER_MILLIS = 60_000;
}
