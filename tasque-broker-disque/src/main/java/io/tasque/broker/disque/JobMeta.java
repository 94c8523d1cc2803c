package io.tasque.broker.disque;

/**
 * What the broker carries inside a Disque job body, because Disque has no place for it: runs used and
 * leases expired by earlier copies of the job (a retry is a new Disque job), once it is dead the reason and the
 * time of death (epoch ms, 0 = not dead), and the id of the first copy ({@code firstId}, null on the first copy
 * itself): the id submit returned, which the handler sees as {@code task.id()} on every run.
 */
record JobMeta(int attempts, int leaseExpiries, String lastError, long diedAtMillis, String firstId) {

    /** A job as first submitted: nothing carried. */
    static final JobMeta NONE = new JobMeta(0, 0, null, 0, null);

    /** Meta of a first copy: no earlier id to carry. */
    JobMeta(int attempts, int leaseExpiries, String lastError, long diedAtMillis) {
        this(attempts, leaseExpiries, lastError, diedAtMillis, null);
    }

    boolean isNone() {
        return attempts == 0 && leaseExpiries == 0 && lastError == null && diedAtMillis == 0 && firstId == null;
    }

    /** The id the job was first submitted under: {@code firstId}, or {@code id} when this is the first copy. */
    String jobId(String id) {
        return firstId != null ? firstId : id;
    }
}
