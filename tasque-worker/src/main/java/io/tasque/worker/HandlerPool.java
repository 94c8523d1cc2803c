package io.tasque.worker;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's handler threads and the jobs waiting for one. A thread that finishes a job takes the next
 * waiting one without sleeping. How many sleeping threads a new batch wakes depends on how long jobs take:
 * while they are quick (under {@link #QUICK_JOB_NANOS} on average) the CPUs' worth of threads already awake
 * run the whole batch, which saves a thread wake-up per job; while they are slow every job gets its own thread
 * at once. {@link #nudge()} wakes another thread when waiting jobs made no progress since the last nudge, so a
 * batch never waits long behind a job that turned out slow. {@link #replace} swaps a thread stuck in a job for a
 * fresh one, so the pool keeps its size; the stuck thread ends once its job returns.
 */
final class HandlerPool implements Component {

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
    /** Threads replaced while stuck in a job: each ends when that job returns instead of taking another. */
    private final Set<Thread> retired = ConcurrentHashMap.newKeySet();
    private final String namePrefix;
    private final AtomicInteger named = new AtomicInteger();
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
        this.namePrefix = namePrefix;
        for (int i = 1; i <= size; i++) {
            threads.add(newThread(this::loop));
        }
    }

    private Thread newThread(Runnable body) {
        Thread t = new Thread(body, namePrefix + named.incrementAndGet());
        t.setDaemon(false);
        return t;
    }

    @Override
    public void start() {
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
     * awake ones are stuck in slow jobs. The main fetch lane calls this while it waits for slots, so jobs never sit long behind
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

    /**
     * Replaces {@code stuck}, a pool thread that is in a job it may never return from: a fresh thread runs
     * {@code firstJob}, then takes waiting jobs like any other, and {@code stuck} ends as soon as its job returns.
     * Called before the stuck job can return, so the stuck thread never takes another job.
     */
    void replace(Thread stuck, Runnable firstJob) {
        Thread fresh;
        synchronized (lock) {
            retired.add(stuck);
            threads.remove(stuck);
            fresh = newThread(() -> {
                runSafely(firstJob);
                loop();
            });
            threads.add(fresh);
        }
        fresh.start();
        log.info("handler thread {} replaced by {} while it is stuck in a job", stuck.getName(), fresh.getName());
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
            runSafely(job);
            if (!retired.isEmpty() && retired.remove(me.thread)) {
                return; // replaced while stuck in that job; the fresh thread has taken its place
            }
            long took = System.nanoTime() - start;
            long avg = averageNanos;
            averageNanos = avg >= Long.MAX_VALUE / 4 ? took : avg + (took - avg) / 8;
        }
    }

    private static void runSafely(Runnable job) {
        try {
            job.run();
        } catch (Throwable t) {
            log.error("handler thread caught an unexpected {}; it goes on with the next job", t.getClass().getName(), t);
        }
    }

    private static void wakeAll(List<Sleeper> sleepers) {
        for (Sleeper s : sleepers) {
            s.woken = true;
            LockSupport.unpark(s.thread);
        }
    }

    /**
     * Drops the jobs not started yet, wakes every sleeping thread so it ends, interrupts the running ones, and waits
     * at most {@code grace} for all to end; true if they did. A thread stuck in a job that ignores the interrupt
     * ends once that job returns.
     */
    @Override
    public boolean stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        List<Sleeper> wake;
        synchronized (lock) {
            stopping = true;
            waiting.clear();
            wake = new ArrayList<>(asleep);
            asleep.clear();
        }
        wakeAll(wake);
        List<Thread> running;
        synchronized (lock) {
            running = new ArrayList<>(threads);
        }
        running.forEach(Thread::interrupt);
        try {
            for (Thread t : running) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    t.join(Math.max(1, left / 1_000_000));
                }
                if (t.isAlive()) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }
}
