package io.tasque.broker;

import java.util.List;

/**
 * A broker that stores jobs with ids that were just made faster than {@link Broker#enqueue}, because it may skip
 * looking for them among the stored ones (Redis: a transaction instead of a script).
 */
public interface EnqueueNew extends BrokerCapability {

    /**
     * Like {@link Broker#enqueue}, for jobs whose ids were just made ({@link io.tasque.JobIds#next()}) and never
     * given to a broker before. It must still not store a job twice when it repeats a call whose reply it lost.
     */
    List<String> enqueueNew(List<OutgoingJob> jobs);

    /** The broker's own way to store new jobs, or its {@link Broker#enqueue}. */
    static EnqueueNew of(Broker broker) {
        return broker.capability(EnqueueNew.class).orElse(broker::enqueue);
    }
}
