package io.tasque.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * Fixed-rate slots on the {@link System#nanoTime()} clock: slot {@code i} starts {@code i} intervals after the
 * start. Each slot is computed from the start, not from the previous wake-up, so a late slot does not shift
 * the ones after it.
 */
final class Pacer {

    private final long startNanos;
    private final int perSecond;

    Pacer(long startNanos, int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("rate must be >= 1/s, was " + perSecond);
        }
        this.startNanos = startNanos;
        this.perSecond = perSecond;
    }

    /** When slot {@code i} starts: {@code start + i / rate} on the {@link System#nanoTime()} clock. */
    long slotNanos(long i) {
        return startNanos + i * 1_000_000_000L / perSecond;
    }

    /** Parks the calling thread until slot {@code i} has started; returns at once if it already has. */
    void awaitSlot(long i) {
        long due = slotNanos(i);
        long left;
        while ((left = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
