package io.tasque.client;

import io.tasque.broker.BrokenQueuesException;
import io.tasque.broker.BrokerException;
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
 * every job waiting at that moment fails with the same error, so no caller waits longer than one send. That
 * holds for an Error too (thrown by a broker, or out of memory): the sending caller gets the Error itself, the
 * others a {@link BrokerException} that carries it, and the next submit sends again. The one exception is a
 * {@link BrokenQueuesException} (a queue's key holds the wrong type): it fails only the jobs of the broken queues,
 * as the broker stored the others, so a broken queue never fails a submit to a healthy one.
 *
 * <p>A waiting caller parks until its job is settled. Interrupting it does not abandon the job (the send that
 * holds it may already have stored it): the caller keeps waiting for the answer, which takes at most one send,
 * and returns with its interrupt flag set again.
 */
final class SubmitBatcher {

    private static final class Pending {
        final OutgoingJob job;
        final Thread thread;
        volatile boolean done;
        volatile boolean leader;
        String id;
        Throwable error;

        Pending(OutgoingJob job, Thread thread) {
            this.job = job;
            this.thread = thread;
        }
    }

    private final Function<List<OutgoingJob>, List<String>> send;
    private final String broker;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private boolean sending;
    /**
     * The leader's list of the jobs it is sending, reused from send to send: only the leader touches it, and the
     * lead passes from thread to thread under {@link #lock}.
     */
    private final List<Pending> leaderBatch = new ArrayList<>();

    /** {@code broker} names the broker in the error the other callers get when a send throws an Error. */
    SubmitBatcher(Function<List<OutgoingJob>, List<String>> send, String broker, int maxBatch) {
        this.send = send;
        this.broker = broker;
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
        boolean interrupted = false;
        try {
            while (!me.done) {
                if (me.leader) {
                    lead(me);
                } else {
                    LockSupport.park(this);
                    // park returns at once while the flag is set: clear it so the wait parks, and set it again below
                    interrupted |= Thread.interrupted();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (me.error instanceof RuntimeException e) {
            throw e;
        }
        if (me.error instanceof Error e) {
            throw e;
        }
        if (me.error != null) {
            throw new BrokerException(broker, "submit failed: " + me.error, me.error);
        }
        return me.id;
    }

    /**
     * Sends batches until this caller's own job is settled, then hands the lead to the next waiter, even when a
     * send throws an Error, so no waiter is left parked behind a leader that is gone.
     */
    private void lead(Pending me) {
        try {
            sendUntilSettled(me);
        } finally {
            handOver();
        }
    }

    private void sendUntilSettled(Pending me) {
        List<Pending> batch = leaderBatch;
        while (!me.done) {
            batch.clear();
            lock.lock();
            try {
                while (!waiting.isEmpty() && batch.size() < maxBatch) {
                    batch.add(waiting.poll());
                }
            } finally {
                lock.unlock();
            }
            try {
                List<String> ids = send.apply(jobsOf(batch));
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).id = ids.get(i);
                }
            } catch (BrokenQueuesException e) {
                // a queue whose data is broken fails only its own jobs: the batch's other jobs were stored, and the
                // jobs still waiting go out with the next send
                for (Pending p : batch) {
                    if (e.queues().stream().anyMatch(b -> b.queue().equals(p.job.queue()))) {
                        p.error = e;
                    } else {
                        p.id = p.job.id();
                    }
                }
            } catch (Throwable e) {
                Throwable shared = forOthers(e);
                for (Pending p : batch) {
                    p.error = p == me ? e : shared;
                }
                failWaiting(shared);
            }
            for (Pending p : batch) {
                finish(p);
            }
        }
        batch.clear();
    }

    /** The jobs of a batch, as a list of their own: the broker may keep it, so it is never the leader's buffer. */
    private static List<OutgoingJob> jobsOf(List<Pending> batch) {
        if (batch.size() == 1) {
            return List.of(batch.get(0).job);
        }
        List<OutgoingJob> jobs = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            jobs.add(p.job);
        }
        return jobs;
    }

    /** A RuntimeException is shared as it is; an Error is wrapped for the callers whose thread did not throw it. */
    private Throwable forOthers(Throwable e) {
        if (e instanceof RuntimeException) {
            return e;
        }
        return new BrokerException(broker, "submit failed: the batch it was sent in failed with " + e, e);
    }

    private void handOver() {
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

    private void failWaiting(Throwable e) {
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
