package io.tasque.broker;

import io.tasque.Task;
import io.tasque.codec.EnvelopeCodec;
import io.tasque.codec.TaskCodec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The storage a queue lives in, seen through tasque's own types: every broker (Redis, Disque, …) implements
 * this and passes the same contract test suite. Clients use the enqueue and admin parts; workers the rest.
 *
 * <p>Every operation on a {@link Delivery} is fenced: it takes effect only while the delivery still holds
 * its lease (same job, same attempt). A stale owner's call returns false and changes nothing.
 *
 * <p>Failures to reach the server surface as {@link BrokerException}, whose message names the broker.
 *
 * <p>The methods here are what every broker does. What only some can do is a {@link BrokerCapability}
 * ({@link EnqueueNew}, {@link AckingReserve}, {@link Housekeeper}), asked for with {@link #capability(Class)}.
 * Brokers are opened by URI scheme through a {@link BrokerProvider}.
 */
public interface Broker extends AutoCloseable {

    /**
     * The longest one {@link #awaitWork} call blocks: a longer timeout is cut to this, so a blocking connection's
     * socket timeout (the command timeout + this) is known in advance.
     */
    Duration MAX_WAIT = Duration.ofSeconds(5);

    /** The broker's URI without credentials, e.g. {@code redis://127.0.0.1:6379/0}; used in every error. */
    String describe();

    /** Checks the server answers; throws {@link BrokerException} if not. */
    void ping();

    /** This broker as {@code type} if it has that capability, else empty. */
    default <T extends BrokerCapability> Optional<T> capability(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /**
     * Checks that {@code name} can name a task (and its queue) on this broker; the client calls it for every task it
     * submits or looks up, the worker for every handler it registers. The default is the rule Redis keys need,
     * {@link Task#checkName}: no whitespace or braces. A broker whose queue names take more overrides it, never
     * accepting less than {@link Task#checkBaseName}.
     *
     * @throws IllegalArgumentException naming the value and the rule it breaks
     */
    default void checkQueueName(String name) {
        Task.checkName(name);
    }

    /**
     * The codec for this broker's wire format, refusing payloads over {@code maxPayloadBytes}. Clients encode
     * with it before sending anything, workers decode with it.
     */
    default TaskCodec codec(int maxPayloadBytes) {
        return new EnvelopeCodec(maxPayloadBytes);
    }

    /**
     * Stores the jobs: each one is either stored when this returns or the call throws. Idempotent by job id
     * where the broker keeps the given ids.
     *
     * @return the id each job is known by from now on, in order: the given ids, or ids the broker assigned
     */
    List<String> enqueue(List<OutgoingJob> jobs);

    /**
     * Leases up to {@code max} ready jobs from {@code queues} without blocking, moving due delayed jobs to
     * ready first. Each delivery's attempt number is one more than before. The result's
     * {@link Reservation#nextDueMillis()} is a hint a broker gives when it can (else -1: the fetcher then blocks
     * for its usual timeout).
     */
    Reservation reserve(List<String> queues, int max, Duration lease);

    /**
     * Blocks at most {@code timeout}, cut to {@link #MAX_WAIT}, until one of {@code queues} may have ready work.
     *
     * @return true if woken by new work, false on timeout or {@link #interruptWait()}
     */
    boolean awaitWork(List<String> queues, Duration timeout);

    /** Makes a blocked {@link #awaitWork} return early; safe to call from any thread. */
    void interruptWait();

    /** Removes finished jobs for good. Returns, per delivery, whether the lease was still held. */
    boolean[] ack(List<Delivery> deliveries);

    /** Schedules a failed job to run again at {@code dueAtMillis}, keeping {@code error} as its last error. */
    boolean retry(Delivery delivery, long dueAtMillis, String error);

    /** Moves a job to the dead letter of its queue with {@code reason}. */
    boolean bury(Delivery delivery, String reason);

    /** Puts a leased job back at the front of its queue without counting the attempt (used on shutdown). */
    boolean release(Delivery delivery);

    /** Extends the leases of running jobs to now + {@code lease}. Returns, per delivery, whether it is still held. */
    boolean[] extend(List<Delivery> deliveries, Duration lease);

    /** Names of the queues that hold jobs of any state. */
    List<String> queues();

    /** Counts of one queue's jobs by state. */
    QueueStats stats(String queue);

    /** Dead jobs of a queue, oldest first. */
    List<DeadJob> deadJobs(String queue, int offset, int limit);

    /** Moves a dead job back to ready with its attempts reset; false if there is no such dead job. */
    default boolean retryDead(String queue, String id) {
        return retryDead(queue, id, null) != null;
    }

    /**
     * Moves a dead job back to ready with its attempts reset and, if {@code payload} is not null, its payload
     * replaced by it (a fresh TTL), all in one step that happens only while the job is still dead.
     *
     * @return the id the job runs under from now on (a broker that assigns ids may give it a new one), or null
     *         if there is no such dead job
     * @throws IllegalStateException if the dead job has no payload and none is given (it cannot run again)
     */
    String retryDead(String queue, String id, byte[] payload);

    /** One dead job of a queue, or null if there is none with that id. */
    default DeadJob deadJob(String queue, String id) {
        for (int offset = 0; ; offset += 1000) {
            List<DeadJob> page = deadJobs(queue, offset, 1000);
            for (DeadJob d : page) {
                if (d.id().equals(id)) {
                    return d;
                }
            }
            if (page.size() < 1000) {
                return null;
            }
        }
    }

    /** Deletes a dead job for good; false if there is no such dead job. */
    boolean deleteDead(String queue, String id);

    @Override
    void close();
}
