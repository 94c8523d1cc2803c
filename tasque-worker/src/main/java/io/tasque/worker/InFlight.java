package io.tasque.worker;

import io.tasque.broker.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The jobs leased to this worker right now (waiting for a handler thread or running), with their lease state. */
final class InFlight {

    /**
     * One job leased to this worker: waiting for a handler thread, or running on {@link #thread}. Whether its
     * handler is running right now is kept under the run's lock, so an interrupt meant for this run (its timeout,
     * the hand-back at shutdown) never lands on the thread's next job, and a run is declared stuck or handed
     * back only while its handler really runs.
     */
    static final class Run {
        final Delivery delivery;
        /** The handler thread, once the job has started; null while it waits for one. */
        volatile Thread thread;
        /** Lease renewals stop after this (the handler timeout); none while it waits for a thread. */
        volatile long deadlineMillis = Long.MAX_VALUE;
        volatile boolean released;
        volatile boolean finished;
        volatile boolean timedOut;
        /** When the handler was entered (System.nanoTime), for logs. */
        volatile long handlerStartNanos;
        /** Set once the run was given up while its handler still ran (stuck, or its process exiting). */
        volatile boolean abandoned;
        /** The job's TTL end (epoch ms, 0 = none), known once decoded; a failed attempt is settled by it. */
        volatile long expiresAtMillis;
        private boolean inHandler;
        private boolean cancelled;
        private final java.util.concurrent.atomic.AtomicBoolean leaseLost = new java.util.concurrent.atomic.AtomicBoolean();
        private final java.util.concurrent.atomic.AtomicBoolean slotGivenBack = new java.util.concurrent.atomic.AtomicBoolean();

        private final java.util.function.Consumer<Delivery> onLost;

        Run(Delivery delivery) {
            this(delivery, d -> { });
        }

        Run(Delivery delivery, java.util.function.Consumer<Delivery> onLost) {
            this.delivery = delivery;
            this.onLost = onLost;
        }

        /**
         * Claims the run for {@code thread}, with its handler timeout ending at {@code deadlineMillis}; false when it
         * was handed back before it started, and must not run.
         */
        synchronized boolean start(Thread thread, long deadlineMillis) {
            if (released) {
                return false;
            }
            this.deadlineMillis = deadlineMillis;
            this.thread = thread;
            return true;
        }

        synchronized void enterHandler() {
            handlerStartNanos = System.nanoTime();
            inHandler = true;
        }

        /**
         * Records that the handler returned; from here on nothing interrupts the thread for this run. Returns false
         * when the run was abandoned meanwhile: its outcome is no longer this thread's to record.
         */
        synchronized boolean leaveHandler() {
            inHandler = false;
            return !abandoned;
        }

        synchronized boolean inHandler() {
            return inHandler;
        }

        /** Marks the run timed out and interrupts its handler, if the handler is still running; true if it did. */
        synchronized boolean interruptForTimeout() {
            if (!inHandler || abandoned) {
                return false;
            }
            timedOut = true;
            thread.interrupt();
            return true;
        }

        /**
         * Gives the run up while its handler still runs (and was not handed back), calling {@code whileLocked} before
         * the handler can be seen to return; true if it did, so the caller now owns the run's outcome.
         */
        synchronized boolean abandon(Runnable whileLocked) {
            if (!inHandler || abandoned || released || finished) {
                return false;
            }
            abandoned = true;
            whileLocked.run();
            return true;
        }

        /**
         * Marks the run cancelled (the broker reported a cancel of its job) and interrupts its handler if it runs;
         * true the first time. A run not started yet will not start; one whose handler already returned is
         * settled by its ack, which the broker turns into the cancel.
         */
        synchronized boolean cancel() {
            if (cancelled || released || abandoned) {
                return false;
            }
            cancelled = true;
            if (inHandler) {
                thread.interrupt();
            }
            return true;
        }

        synchronized boolean cancelled() {
            return cancelled;
        }

        /** Records a success before its ack is queued; false if the run was handed back or abandoned first. */
        synchronized boolean finish() {
            if (released || abandoned) {
                return false;
            }
            finished = true;
            return true;
        }

        /** How a run stood when {@link #release()} handed it back. */
        enum Released { NOT_STARTED, STARTED, SKIPPED }

        /**
         * Marks the run handed back (shutdown) and interrupts its handler if it runs. SKIPPED when it succeeded or
         * was abandoned already (settled elsewhere); NOT_STARTED when no thread took it yet (none ever will).
         */
        synchronized Released release() {
            if (finished || abandoned) {
                return Released.SKIPPED;
            }
            released = true;
            if (thread == null) {
                return Released.NOT_STARTED;
            }
            if (inHandler) {
                thread.interrupt();
            }
            return Released.STARTED;
        }

        /** True only the first time: the run's handler slot is given back exactly once. */
        boolean giveBackSlot() {
            return slotGivenBack.compareAndSet(false, true);
        }

        /** Records that the broker refused this run's lease; true only the first time, so it is logged once. */
        boolean markLost() {
            if (leaseLost.compareAndSet(false, true)) {
                onLost.accept(delivery);
                return true;
            }
            return false;
        }

        boolean leaseLost() {
            return leaseLost.get();
        }
    }

    private final Map<Delivery, Run> runs = new ConcurrentHashMap<>();
    private final Object idle = new Object();
    private volatile java.util.function.Consumer<Delivery> onLost = d -> { };

    /** What runs once for each run whose lease the broker refused (the lease-loss counter). */
    void onLeaseLost(java.util.function.Consumer<Delivery> callback) {
        this.onLost = callback;
    }

    Run add(Delivery d) {
        Run r = new Run(d, onLost);
        runs.put(d, r);
        return r;
    }

    void remove(Delivery d) {
        runs.remove(d);
        signalIfIdle();
    }

    /** Removes {@code run} if it is still the one recorded for its delivery. */
    void remove(Run run) {
        runs.remove(run.delivery, run);
        signalIfIdle();
    }

    private void signalIfIdle() {
        if (runs.isEmpty()) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** The run of this delivery, or null once it has been settled and removed. */
    Run get(Delivery d) {
        return runs.get(d);
    }

    List<Run> snapshot() {
        return new ArrayList<>(runs.values());
    }

    int size() {
        return runs.size();
    }

    /** Waits until nothing runs or the deadline (System.nanoTime) passes; true if idle. */
    boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        synchronized (idle) {
            while (!runs.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }
}
