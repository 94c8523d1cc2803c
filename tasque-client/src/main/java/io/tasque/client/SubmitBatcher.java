package io.tasque.client;

import io.tasque.broker.OutgoingJob;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Group commit for concurrent single submits, without a thread of its own: the first caller to arrive
 * sends its job at once, and every job submitted by other threads meanwhile goes out with the next send as
 * one batch. A lone submit is never delayed; fifty concurrent ones share a few round trips. If a send fails,
 * every job waiting at that moment fails with the same error, so no caller waits longer than one send.
 */
final class SubmitBatcher {

    private static final class Pending {
        final OutgoingJob job;
        final Thread thread;
        volatile boolean done;
        volatile boolean leader;
        String id;
        RuntimeException error;

        Pending(OutgoingJob job, Thread thread) {
            this.job = job;
            this.thread = thread;
        }
    }

    private final Function<List<OutgoingJob>, List<String>> send;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private boolean sending;

    SubmitBatcher(Function<List<OutgoingJob>, List<String>> send, int maxBatch) {
        this.send = send;
        this.maxBatch = maxBatch;
    }

    /** Stores one job, possibly together with other threads' jobs; returns its id or throws the send's error. */
    String submit(OutgoingJob job) {
        Pending me = new Pending(job, Thread.currentThread());
        lock.lock();
        try {
            waiting.add(me);
            if (!sending) {
                sending = true;
                me.leader = true;
            }
        } finally {
            lock.unlock();
        }
        while (!me.done) {
            if (me.leader) {
                lead(me);
            } else {
                LockSupport.park(this);
            }
        }
        if (me.error != null) {
            throw me.error;
        }
        return me.id;
    }

    /** Sends batches until this caller's own job is settled, then hands the lead to the next waiter. */
    private void lead(Pending me) {
        while (!me.done) {
            List<Pending> batch = new ArrayList<>();
            lock.lock();
            try {
                while (!waiting.isEmpty() && batch.size() < maxBatch) {
                    batch.add(waiting.poll());
                }
            } finally {
                lock.unlock();
            }
            List<OutgoingJob> jobs = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                jobs.add(p.job);
            }
            try {
                List<String> ids = send.apply(jobs);
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).id = ids.get(i);
                }
            } catch (RuntimeException e) {
                for (Pending p : batch) {
                    p.error = e;
                }
                failWaiting(e);
            }
            for (Pending p : batch) {
                finish(p);
            }
        }
        lock.lock();
        try {
            Pending next = waiting.peek();
            if (next == null) {
                sending = false;
            } else {
                next.leader = true;
                LockSupport.unpark(next.thread);
            }
        } finally {
            lock.unlock();
        }
    }

    private void failWaiting(RuntimeException e) {
        List<Pending> failed = new ArrayList<>();
        lock.lock();
        try {
            while (!waiting.isEmpty()) {
                failed.add(waiting.poll());
            }
        } finally {
            lock.unlock();
        }
        for (Pending p : failed) {
            p.error = e;
            finish(p);
        }
    }

    private static void finish(Pending p) {
        p.done = true;
        LockSupport.unpark(p.thread);
    }
}
