package io.tasque.worker;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Counts the handler threads that are free and lets the fetcher take them. Handler threads give a slot back
 * after every job, but they wake the fetcher only once as many slots are free as it asked for, not once per
 * slot: on a busy worker that saves a thread wake-up (a futex call and a context switch) per job. One thread
 * takes slots (the fetcher); any thread may give them back.
 */
final class Slots {

    private static final int NOBODY_WAITS = Integer.MAX_VALUE;
    /** How often a waiting taker runs its {@code whileWaiting} check, while that asks for it: 1 ms. */
    static final long TICK_NANOS = 1_000_000;

    private final AtomicInteger free;
    /** How many free slots wake the waiting taker; {@link #NOBODY_WAITS} while it is not waiting. */
    private volatile int wakeAt = NOBODY_WAITS;
    private volatile Thread taker;

    Slots(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("slot count must be >= 1, was " + count);
        }
        this.free = new AtomicInteger(count);
    }

    /**
     * Blocks until a slot is free. Then, with {@code lingerNanos} > 0, waits up to that long more until at least
     * {@code enough} are free, and takes every free slot, up to {@code max}. Returns the number taken (>= 1).
     * While it waits, it calls {@code whileWaiting} every {@link #TICK_NANOS} for as long as that returns true.
     */
    int take(int max, int enough, long lingerNanos, BooleanSupplier whileWaiting) throws InterruptedException {
        await(1, 0, whileWaiting);
        if (lingerNanos > 0 && free.get() < Math.min(enough, max)) {
            await(Math.min(enough, max), System.nanoTime() + lingerNanos, whileWaiting);
        }
        while (true) {
            int f = free.get();
            int n = Math.min(f, max);
            if (free.compareAndSet(f, f - n)) {
                return n;
            }
        }
    }

    /** Gives {@code n} slots back; wakes the taker when that makes as many free as it waits for. */
    void release(int n) {
        if (n <= 0) {
            return;
        }
        if (free.addAndGet(n) >= wakeAt) {
            Thread t = taker;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    int free() {
        return free.get();
    }

    /** Parks until {@code target} slots are free, or until {@code deadlineNanos} (0 = no deadline). */
    private void await(int target, long deadlineNanos, BooleanSupplier whileWaiting) throws InterruptedException {
        if (free.get() >= target) {
            return;
        }
        taker = Thread.currentThread();
        wakeAt = target; // written before free is read again, so a release either sees it or is seen here
        try {
            boolean tick = whileWaiting.getAsBoolean();
            while (free.get() < target) {
                long left = deadlineNanos == 0 ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                if (tick) {
                    LockSupport.parkNanos(this, Math.min(left, TICK_NANOS));
                    tick = whileWaiting.getAsBoolean();
                } else if (deadlineNanos == 0) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            wakeAt = NOBODY_WAITS;
        }
    }
}
