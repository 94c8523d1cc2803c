package io.tasque.broker;

import java.util.List;

/**
 * A broker that can cancel a job. A ready or delayed job is deleted at once; a running one is marked, and the
 * worker running it learns of that through {@link #cancelRequested} and interrupts its handler. Whatever ends a
 * cancelled run (ack, retry, bury, release, or its lease running out) deletes the job instead: a cancelled job is
 * never acked, retried or dead-lettered. Either a cancel or an ack wins, never both: a job acked before the
 * cancel arrives is finished, and {@link #cancel} returns false.
 */
public interface Cancelling extends BrokerCapability {

    /**
     * Cancels job {@code id} of {@code queue}.
     *
     * @return true if the job was ready, delayed or running and is now cancelled; false if the broker holds no
     *         such job to run (unknown, finished, dead, or cancelled already)
     */
    boolean cancel(String queue, String id);

    /**
     * Per delivery, whether its job was cancelled while this run goes on: the worker then interrupts its handler.
     * A worker calls this about once a second while it runs jobs.
     */
    boolean[] cancelRequested(List<Delivery> deliveries);
}
