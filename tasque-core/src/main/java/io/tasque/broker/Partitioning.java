package io.tasque.broker;

/**
 * A broker that can split one queue into K partitions, each stored on its own, so that one queue spreads over the
 * masters of a Redis Cluster. K is stored in the broker with the queue: producers spread a queue's jobs over its K
 * partitions, and workers fetch from every partition that may still hold jobs, including those left over after K
 * was lowered, so changing K never strands a job. A {@link Delivery} says which partition it came from.
 */
public interface Partitioning extends BrokerCapability {

    /** The most partitions one queue may have. */
    int MAX_PARTITIONS = 1024;

    /** The number of partitions new jobs of {@code queue} are spread over (1 unless set). */
    int partitions(String queue);

    /**
     * Sets the number of partitions new jobs of {@code queue} are spread over; every process using the broker
     * follows within its refresh interval. Jobs already stored stay where they are and are still fetched.
     *
     * @throws IllegalArgumentException if {@code k} is not between 1 and {@value #MAX_PARTITIONS}
     */
    void partitions(String queue, int k);

    /** Checks {@code k} is a partition count a broker accepts, naming the value if not. */
    static int checkCount(String queue, int k) {
        if (k < 1 || k > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions of queue '" + queue + "' must be between 1 and "
                    + MAX_PARTITIONS + ", was " + k);
        }
        return k;
    }
}
