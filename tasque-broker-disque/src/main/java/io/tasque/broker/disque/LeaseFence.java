package io.tasque.broker.disque;

import io.tasque.broker.Delivery;

/**
 * Decides whether a delivery still holds its job, from the job's SHOW on the node that delivered it. Disque
 * has no lease token, so the check is: the job is still delivered ({@code active}), in the same queue, and has
 * not been requeued since (its run count, {@link DisqueBroker#attemptOf}, still equals the delivery's attempt).
 * It is a check before the command, not an atomic compare-and-set: a requeue that happens between the SHOW and
 * the command is not caught, and counters are best effort across nodes.
 */
final class LeaseFence {

    private LeaseFence() {
    }

    static boolean holds(Delivery d, JobInfo job) {
        if (job == null || !job.active() || !QueueNames.live(d.queue()).equals(job.queue())) {
            return false;
        }
        JobMeta meta = JobBody.metaOf(job.body());
        return DisqueBroker.attemptOf(meta, job.additionalDeliveries()) == d.attempt();
    }
}
