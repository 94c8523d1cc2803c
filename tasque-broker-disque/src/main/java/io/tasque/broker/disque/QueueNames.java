package io.tasque.broker.disque;

/**
 * Maps task names to Disque queue names: {@code __tasque__<name>} for the live queue, as Go tasque names it,
 * and {@code __tasque_dead__<name>} for the dead letter that tasque adds on top.
 */
final class QueueNames {

    /** Prefix of the queue Go tasque and tasque for Java both use for a task name. */
    static final String LIVE_PREFIX = "__tasque__";
    /** Prefix of a task's dead-letter queue; no worker ever fetches from it. */
    static final String DEAD_PREFIX = "__tasque_dead__";

    private QueueNames() {
    }

    static String live(String task) {
        return LIVE_PREFIX + task;
    }

    static String dead(String task) {
        return DEAD_PREFIX + task;
    }

    /** The task name of a live queue, or null if the queue is not one of tasque's live queues. */
    static String taskOfLive(String queue) {
        return queue.startsWith(LIVE_PREFIX) && queue.length() > LIVE_PREFIX.length()
                ? queue.substring(LIVE_PREFIX.length()) : null;
    }

    /** The task name of a live or dead-letter queue, or null if the queue is not tasque's. */
    static String taskOf(String queue) {
        String live = taskOfLive(queue);
        if (live != null) {
            return live;
        }
        return queue.startsWith(DEAD_PREFIX) && queue.length() > DEAD_PREFIX.length()
                ? queue.substring(DEAD_PREFIX.length()) : null;
    }
}
