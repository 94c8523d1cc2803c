package io.tasque.worker;

import io.tasque.broker.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The jobs leased to this worker right now (waiting for a handler thread or running), with their lease state. */
final class InFlight {

    /** One job leased to this worker: waiting for a handler thread, or running on {@link #thread}. */
    static final class Run {
        final Delivery delivery;
        /** The handler thread, once the job has started; null while it waits for one. */
        volatile Thread thread;
        /** Lease renewals stop after this (the handler timeout); none while it waits for a thread. */
        volatile long deadlineMillis = Long.MAX_VALUE;
        volatile boolean released;
        volatile boolean finished;
        volatile boolean timedOut;
        private final java.util.concurrent.atomic.AtomicBoolean leaseLost = new java.util.concurrent.atomic.AtomicBoolean();

        Run(Delivery delivery) {
            this.delivery = delivery;
        }

        /** Records that the job started on {@code thread}, with its handler timeout ending at {@code deadlineMillis}. */
        void started(Thread thread, long deadlineMillis) {
            this.deadlineMillis = deadlineMillis;
            this.thread = thread;
        }

        /** Records that the broker refused this run's lease; true only the first time, so it is logged once. */
        boolean markLost() {
            return leaseLost.compareAndSet(false, true);
        }

        boolean leaseLost() {
            return leaseLost.get();
        }
    }

    private final Map<Delivery, Run> runs = new ConcurrentHashMap<>();
    private final Object idle = new Object();

    Run add(Delivery d) {
        Run r = new Run(d);
        runs.put(d, r);
        return r;
    }

    void remove(Delivery d) {
        runs.remove(d);
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
