package io.tasque.worker;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Counts the handler threads that are free and lets the fetch lanes take them. Handler threads give a slot back
 * after every job, but they wake a waiting lane only once as many slots are free as it asked for, not once per
 * slot: on a busy worker that saves a thread wake-up (a futex call and a context switch) per job. Each lane
 * (a fixed number, known up front) takes slots from its own thread; any thread may give them back.
 */
final class Slots {

    private static final int NOBODY_WAITS = Integer.MAX_VALUE;
    /** How often a waiting taker runs its {@code whileWaiting} check, while that asks for it: 1 ms. */
    static final long TICK_NANOS = 1_000_000;

    /** One lane's wait: the thread and how many free slots wake it ({@link #NOBODY_WAITS} while it runs). */
    private static final class Waiter {
        volatile int wakeAt = NOBODY_WAITS;
        volatile Thread thread;
    }

    private final AtomicInteger free;
    private final Waiter[] waiters;

    Slots(int count, int lanes) {
        if (count < 1) {
            throw new IllegalArgumentException("slot count must be >= 1, was " + count);
        }
        if (lanes < 1) {
            throw new IllegalArgumentException("lane count must be >= 1, was " + lanes);
        }
        this.free = new AtomicInteger(count);
        this.waiters = new Waiter[lanes];
        for (int i = 0; i < lanes; i++) {
            waiters[i] = new Waiter();
        }
    }

    /**
     * Blocks until a slot is free. Then, with {@code lingerNanos} > 0, waits up to that long more until at least
     * {@code enough} are free, and takes every free slot, up to {@code max}. Returns the number taken (>= 1).
     * While it waits, it calls {@code whileWaiting} every {@link #TICK_NANOS} for as long as that returns true.
     * Called by {@code lane}'s own thread only.
     */
    int take(int lane, int max, int enough, long lingerNanos, BooleanSupplier whileWaiting) throws InterruptedException {
        Waiter me = waiters[lane];
        while (true) {
            await(me, 1, 0, whileWaiting);
            if (lingerNanos > 0 && free.get() < Math.min(enough, max)) {
                await(me, Math.min(enough, max), System.nanoTime() + lingerNanos, whileWaiting);
            }
            int f;
            while ((f = free.get()) > 0) {
                int n = Math.min(f, max);
                if (free.compareAndSet(f, f - n)) {
                    return n;
                }
            }
            // another lane took them first: wait again
        }
    }

    /** Gives {@code n} slots back; wakes each lane for which that makes as many free as it waits for. */
    void release(int n) {
        if (n <= 0) {
            return;
        }
        int now = free.addAndGet(n);
        for (Waiter w : waiters) {
            if (now >= w.wakeAt) {
                Thread t = w.thread;
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
        }
    }

    int free() {
        return free.get();
    }

    /** Parks until {@code target} slots are free, or until {@code deadlineNanos} (0 = no deadline). */
    private void await(Waiter me, int target, long deadlineNanos, BooleanSupplier whileWaiting) throws InterruptedException {
        if (free.get() >= target) {
            return;
        }
        me.thread = Thread.currentThread();
        me.wakeAt = target; // written before free is read again, so a release either sees it or is seen here
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
            me.wakeAt = NOBODY_WAITS;
        }
    }
}
