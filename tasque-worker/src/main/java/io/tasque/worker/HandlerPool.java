package io.tasque.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's handler threads and the jobs waiting for one. A thread that finishes a job takes the next
 * waiting one without sleeping. How many sleeping threads a new batch wakes depends on how long jobs take:
 * while they are quick (under {@link #QUICK_JOB_NANOS} on average) the CPUs' worth of threads already awake
 * run the whole batch, which saves a thread wake-up per job; while they are slow every job gets its own thread
 * at once. {@link #nudge()} wakes another thread when waiting jobs made no progress since the last nudge, so a
 * batch never waits long behind a job that turned out slow.
 */
final class HandlerPool {

    private static final Logger log = LoggerFactory.getLogger(HandlerPool.class);

    /** Jobs quicker than this on average (50 µs) share the awake threads instead of each waking its own. */
    static final long QUICK_JOB_NANOS = 50_000;

    private static final class Sleeper {
        final Thread thread;
        volatile boolean woken;

        Sleeper(Thread thread) {
            this.thread = thread;
        }
    }

    private final Object lock = new Object();
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private final ArrayDeque<Sleeper> asleep = new ArrayDeque<>();
    private final List<Thread> threads = new ArrayList<>();
    private final int awakeForQuickJobs;
    /** Jobs taken so far, and the count at the last {@link #nudge()}: equal means the waiting jobs are stuck. */
    private long taken;
    private long takenAtLastNudge;
    /** Moving average of the time a job takes, in ns; starts slow, so the first batch wakes a thread per job. */
    private volatile long averageNanos = Long.MAX_VALUE / 2;
    private volatile boolean stopping;

    HandlerPool(int size, String namePrefix) {
        if (size < 1) {
            throw new IllegalArgumentException("handler thread count must be >= 1, was " + size);
        }
        this.awakeForQuickJobs = Math.min(size, Runtime.getRuntime().availableProcessors());
        for (int i = 1; i <= size; i++) {
            Thread t = new Thread(this::loop, namePrefix + i);
            t.setDaemon(false);
            threads.add(t);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    /**
     * Queues jobs and wakes threads for them: one per job while jobs are slow or when {@code everyJob} is set
     * (the caller will not be back to {@link #nudge()} soon); otherwise only enough to keep the CPUs busy.
     */
    void execute(List<? extends Runnable> jobs, boolean everyJob) {
        if (jobs.isEmpty()) {
            return;
        }
        List<Sleeper> wake = new ArrayList<>();
        synchronized (lock) {
            waiting.addAll(jobs);
            popSleepers(everyJob || averageNanos >= QUICK_JOB_NANOS ? waiting.size() : Math.min(waiting.size(), awakeForQuickJobs), wake);
        }
        wakeAll(wake);
    }

    /**
     * When jobs are waiting and none was taken since the last call, wakes a thread for every waiting job: the
     * awake ones are stuck in slow jobs. The fetcher calls this while it waits, so jobs never sit long behind
     * slow ones. Returns whether jobs are still waiting (and so whether another call is due).
     */
    boolean nudge() {
        List<Sleeper> wake = new ArrayList<>();
        boolean jobsWait;
        synchronized (lock) {
            jobsWait = !waiting.isEmpty();
            if (jobsWait && taken == takenAtLastNudge) {
                popSleepers(waiting.size(), wake);
            }
            takenAtLastNudge = taken;
        }
        wakeAll(wake);
        return jobsWait;
    }

    /** Wakes a thread for every waiting job, for when nobody will call {@link #nudge()} for a while. */
    void wakeForEveryJob() {
        List<Sleeper> wake = new ArrayList<>();
        synchronized (lock) {
            popSleepers(waiting.size(), wake);
        }
        wakeAll(wake);
    }

    /** Moves up to {@code n} sleeping threads into {@code wake}; the caller holds the lock and wakes them after. */
    private void popSleepers(int n, List<Sleeper> wake) {
        while (wake.size() < n && !asleep.isEmpty()) {
            wake.add(asleep.pop());
        }
    }

    private void loop() {
        Sleeper me = new Sleeper(Thread.currentThread());
        while (true) {
            Runnable job;
            synchronized (lock) {
                job = waiting.poll();
                if (job != null) {
                    taken++;
                } else if (stopping) {
                    return;
                } else {
                    me.woken = false;
                    asleep.push(me);
                }
            }
            if (job == null) {
                Thread.interrupted(); // an interrupt meant for the last job must not spin the park below
                while (!me.woken) {
                    LockSupport.park(this);
                }
                continue;
            }
            long start = System.nanoTime();
            try {
                job.run();
            } catch (RuntimeException e) {
                log.error("handler thread caught an unexpected exception; it goes on with the next job", e);
            }
            long took = System.nanoTime() - start;
            long avg = averageNanos;
            averageNanos = avg >= Long.MAX_VALUE / 4 ? took : avg + (took - avg) / 8;
        }
    }

    private static void wakeAll(List<Sleeper> sleepers) {
        for (Sleeper s : sleepers) {
            s.woken = true;
            LockSupport.unpark(s.thread);
        }
    }

    /** Drops jobs not started yet, wakes every sleeping thread so it ends, and interrupts the running ones. */
    List<Runnable> shutdownNow() {
        List<Runnable> dropped;
        List<Sleeper> wake;
        synchronized (lock) {
            stopping = true;
            dropped = new ArrayList<>(waiting);
            waiting.clear();
            wake = new ArrayList<>(asleep);
            asleep.clear();
        }
        wakeAll(wake);
        threads.forEach(Thread::interrupt);
        return dropped;
    }
}
