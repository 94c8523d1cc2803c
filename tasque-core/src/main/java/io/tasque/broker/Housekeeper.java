package io.tasque.broker;

import java.util.List;

/**
 * A broker whose clients must move due delayed jobs to ready and reclaim expired leases themselves (Redis and
 * the in-memory broker); a broker that does this on its own (Disque) does not have this capability, and a
 * worker then runs no janitor.
 */
public interface Housekeeper extends BrokerCapability {

    /** Housekeeping safe to run from many workers at once: due delayed → ready, expired leases → ready. */
    Housekeeping housekeep(List<String> queues);
}
