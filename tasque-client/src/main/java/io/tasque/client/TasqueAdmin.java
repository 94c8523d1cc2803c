package io.tasque.client;

import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.DeadJob;
import io.tasque.broker.QueueStats;
import io.tasque.codec.Envelope;
import io.tasque.codec.TaskCodec;
import io.tasque.codec.UndecodablePayloadException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's view of the queues: job counts by state, and the dead letter (list, retry, delete).
 * Obtained from {@link TasqueClient#admin()}; shares its connection and is as thread-safe as it is.
 */
public final class TasqueAdmin {

    private final Broker broker;
    private final TaskCodec codec;

    TasqueAdmin(Broker broker, TaskCodec codec) {
        this.broker = broker;
        this.codec = codec;
    }

    /** Names of the queues (= task names) that hold jobs in any state. */
    public List<String> queues() {
        return broker.queues();
    }

    /** Ready, delayed, in-flight and dead counts of one queue. */
    public QueueStats stats(String taskName) {
        return broker.stats(Task.checkName(taskName));
    }

    /** Counts for every queue. */
    public List<QueueStats> stats() {
        List<QueueStats> out = new ArrayList<>();
        for (String q : queues()) {
            out.add(broker.stats(q));
        }
        return out;
    }

    /** Up to {@code limit} dead jobs of a queue, oldest first, starting at {@code offset}. */
    public List<DeadTask> deadTasks(String taskName, int offset, int limit) {
        List<DeadTask> out = new ArrayList<>();
        for (DeadJob d : broker.deadJobs(Task.checkName(taskName), offset, limit)) {
            Task task = null;
            String raw = d.payload() == null ? null : new String(d.payload(), StandardCharsets.UTF_8);
            if (d.payload() != null) {
                try {
                    Envelope e = codec.decode(d.payload());
                    task = Task.received(e.name(), e.params(), d.id(), Math.max(1, d.attempts()));
                } catch (UndecodablePayloadException | IllegalArgumentException e) {
                    task = null;
                }
            }
            out.add(new DeadTask(d.queue(), d.id(), task, raw, d.attempts(), d.lastError(), d.diedAt()));
        }
        return out;
    }

    /** Every dead job of a queue (up to 10 000). */
    public List<DeadTask> deadTasks(String taskName) {
        return deadTasks(taskName, 0, 10_000);
    }

    /**
     * Moves a dead job back to its queue with its attempts reset, so it runs again.
     *
     * @return false if the queue has no dead job with that id
     */
    public boolean retryDead(String taskName, String id) {
        return broker.retryDead(Task.checkName(taskName), id);
    }

    /**
     * Deletes a dead job for good.
     *
     * @return false if the queue has no dead job with that id
     */
    public boolean deleteDead(String taskName, String id) {
        return broker.deleteDead(Task.checkName(taskName), id);
    }
}
