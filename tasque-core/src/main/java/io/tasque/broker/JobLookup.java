package io.tasque.broker;

import java.util.List;
import java.util.Optional;

/** A broker that can tell what became of one job, and list a queue's jobs in one state. */
public interface JobLookup extends BrokerCapability {

    /**
     * The job {@code id} of {@code queue}: ready, delayed, running, dead, or succeeded while its uniqueness record
     * lasts (jobs with a caller-chosen id only); empty if the broker holds nothing of it.
     */
    Optional<StoredJob> job(String queue, String id);

    /**
     * Up to {@code limit} jobs of {@code queue} in {@code state}: ready ones in queue order, delayed ones by due
     * time, running ones by lease deadline, dead ones oldest first, succeeded ones by the end of their window.
     *
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    List<StoredJob> jobs(String queue, StoredJob.State state, int limit);
}
