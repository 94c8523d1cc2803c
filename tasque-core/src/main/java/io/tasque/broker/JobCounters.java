package io.tasque.broker;

/**
 * A broker that counts the runs that ended on each queue, in the same step that settles them, so the counts hold
 * across every worker and process. Readers (the dashboard's throughput chart, the CLI's rate) take the difference of
 * two readings.
 */
public interface JobCounters extends BrokerCapability {

    /** The totals of {@code queue} (all its partitions); zeros for a queue that never ran a job. */
    JobTotals totals(String queue);
}
