package io.tasque.broker.disque;

/**
 * What the broker carries inside a Disque job body, because Disque has no place for it: runs used and
 * leases expired by earlier copies of the job (a retry is a new Disque job), and, once it is dead, the
 * reason and the time of death (epoch ms, 0 = not dead).
 */
record JobMeta(int attempts, int leaseExpiries, String lastError, long diedAtMillis) {

    /** A job as first submitted: nothing carried. */
    static final JobMeta NONE = new JobMeta(0, 0, null, 0);

    boolean isNone() {
        return attempts == 0 && leaseExpiries == 0 && lastError == null && diedAtMillis == 0;
    }
}
