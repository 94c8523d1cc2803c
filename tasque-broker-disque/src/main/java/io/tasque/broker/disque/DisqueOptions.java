package io.tasque.broker.disque;

import java.time.Duration;

/**
 * Settings only the Disque broker has: the job lease (Disque's RETRY), replication, fast acks, MAXLEN, ASYNC,
 * the TTLs Disque needs for every job, and how often the node list is refreshed. Immutable; build with
 * {@link #builder()}. Disque counts time in whole seconds, so every duration here is rounded up to one.
 */
public final class DisqueOptions {

    /** Lease of a fetched job (Disque's RETRY): 30 s, the worker's default lease. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    /**
     * The lease Disque gives Go tasque's jobs, which are added without RETRY: a tenth of Disque's default TTL (1 day),
     * capped at 5 minutes, so 300 s. See {@link Builder#goCompatible()}.
     */
    public static final Duration GO_TASQUE_LEASE = Duration.ofSeconds(300);
    /**
     * Copies of each job: 2, or 1 on a single node. Two copies lose no job when any one node dies, and a cluster of
     * three or more nodes keeps taking jobs while one is down (Disque's own default, min(3, nodes), refuses every
     * submit on a three-node cluster with one node down).
     */
    public static final int DEFAULT_REPLICATE = 2;
    /** How long Disque keeps a job past its tasque TTL, so a worker can still dead-letter it: 1 h. */
    public static final Duration DEFAULT_TTL_GRACE = Duration.ofHours(1);
    /** Disque TTL of a job whose payload carries no expiry time: 30 days. */
    public static final Duration DEFAULT_TTL = Duration.ofDays(30);
    /** How long a dead-lettered job is kept: 30 days. */
    public static final Duration DEFAULT_DEAD_LETTER_TTL = Duration.ofDays(30);
    /** How often the node list is asked again with HELLO: 60 s. */
    public static final Duration DEFAULT_NODE_REFRESH = Duration.ofSeconds(60);

    private final long leaseSeconds;
    private final int replicate;
    private final boolean fastAck;
    private final int maxLen;
    private final boolean async;
    private final long ttlGraceSeconds;
    private final long defaultTtlSeconds;
    private final long deadLetterTtlSeconds;
    private final Duration nodeRefresh;

    private DisqueOptions(Builder b) {
        this.leaseSeconds = b.leaseSeconds;
        this.replicate = b.replicate;
        this.fastAck = b.fastAck;
        this.maxLen = b.maxLen;
        this.async = b.async;
        this.ttlGraceSeconds = b.ttlGraceSeconds;
        this.defaultTtlSeconds = b.defaultTtlSeconds;
        this.deadLetterTtlSeconds = b.deadLetterTtlSeconds;
        this.nodeRefresh = b.nodeRefresh;
    }

    /** Every default. */
    public static DisqueOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.leaseSeconds = leaseSeconds;
        b.replicate = replicate;
        b.fastAck = fastAck;
        b.maxLen = maxLen;
        b.async = async;
        b.ttlGraceSeconds = ttlGraceSeconds;
        b.defaultTtlSeconds = defaultTtlSeconds;
        b.deadLetterTtlSeconds = deadLetterTtlSeconds;
        b.nodeRefresh = nodeRefresh;
        return b;
    }

    /** Seconds a fetched job stays leased without a heartbeat (WORKING); sent as ADDJOB's RETRY. */
    public long leaseSeconds() {
        return leaseSeconds;
    }

    /**
     * Copies of each job Disque keeps (ADDJOB REPLICATE), at most one per node of the cluster; 0 leaves Disque's
     * default: min(3, cluster size).
     */
    public int replicate() {
        return replicate;
    }

    /** The REPLICATE sent to a cluster of {@code nodes} nodes: {@link #replicate()} capped at the cluster size; 0 = none sent. */
    int copiesOn(int nodes) {
        return replicate == 0 ? 0 : Math.min(replicate, Math.max(1, nodes));
    }

    /** True to acknowledge with FASTACK (fewer messages, more duplicates after a partition) instead of ACKJOB. */
    public boolean fastAck() {
        return fastAck;
    }

    /** Submits are refused while a node's queue holds this many jobs (ADDJOB MAXLEN); 0 means no limit. */
    public int maxLen() {
        return maxLen;
    }

    /** True to let submits return before replication completes (ADDJOB ASYNC). */
    public boolean async() {
        return async;
    }

    /** Seconds added to a job's TTL on Disque, so Disque never drops a job the worker would still run. */
    public long ttlGraceSeconds() {
        return ttlGraceSeconds;
    }

    /** The Disque TTL of a job submitted without one, in seconds. */
    public long defaultTtlSeconds() {
        return defaultTtlSeconds;
    }

    /** How long a dead-letter entry is kept, in seconds. */
    public long deadLetterTtlSeconds() {
        return deadLetterTtlSeconds;
    }

    /** How often the list of cluster nodes is asked for again. */
    public Duration nodeRefresh() {
        return nodeRefresh;
    }

    @Override
    public String toString() {
        return "lease=" + leaseSeconds + "s, replicate=" + (replicate == 0 ? "server default" : replicate)
                + ", fastAck=" + fastAck + ", maxLen=" + (maxLen == 0 ? "none" : maxLen) + ", async=" + async
                + ", ttlGrace=" + ttlGraceSeconds + "s, defaultTtl=" + defaultTtlSeconds + "s, deadLetterTtl="
                + deadLetterTtlSeconds + "s, nodeRefresh=" + nodeRefresh;
    }

    /** Builder with validation in every setter. */
    public static final class Builder {
        private long leaseSeconds = DEFAULT_LEASE.toSeconds();
        private int replicate = DEFAULT_REPLICATE;
        private boolean fastAck;
        private int maxLen;
        private boolean async;
        private long ttlGraceSeconds = DEFAULT_TTL_GRACE.toSeconds();
        private long defaultTtlSeconds = DEFAULT_TTL.toSeconds();
        private long deadLetterTtlSeconds = DEFAULT_DEAD_LETTER_TTL.toSeconds();
        private Duration nodeRefresh = DEFAULT_NODE_REFRESH;

        /** Lease of a fetched job (Disque's RETRY), at least 1 s; keep it at least as long as the worker's lease. */
        public Builder lease(Duration lease) {
            this.leaseSeconds = seconds("lease", lease, 1);
            return this;
        }

        /**
         * Copies of each job (ADDJOB REPLICATE), 1..65535, at most one per node of the cluster (default
         * {@link DisqueOptions#DEFAULT_REPLICATE}); 0 leaves it to Disque: min(3, cluster size). Submits are refused while
         * fewer nodes are reachable than this; the broker waits for every copy before a submit returns unless
         * {@link #async(boolean)} is on.
         */
        public Builder replicate(int copies) {
            if (copies < 0 || copies > 65535) {
                throw new IllegalArgumentException("replicate must be 0 (server default) or 1..65535, was " + copies);
            }
            this.replicate = copies;
            return this;
        }

        /**
         * Submits jobs that Go tasque workers can run without running them twice: the lease (RETRY) Disque gives Go
         * tasque's own jobs, {@link DisqueOptions#GO_TASQUE_LEASE} (300 s). A Go worker never sends WORKING, so a job
         * whose RETRY is shorter than its handler's run is handed to a second worker; with the default lease (30 s)
         * that happens to every Go handler that runs over 30 s. Java workers keep renewing such jobs, but a job
         * whose worker died comes back only after 300 s. The same as {@code lease(GO_TASQUE_LEASE)}.
         */
        public Builder goCompatible() {
            return lease(GO_TASQUE_LEASE);
        }

        /** Acknowledge with FASTACK instead of ACKJOB (default false). */
        public Builder fastAck(boolean fast) {
            this.fastAck = fast;
            return this;
        }

        /** Refuse submits while the node's queue holds this many jobs (ADDJOB MAXLEN); 0 (the default) = no limit. */
        public Builder maxLen(int jobs) {
            if (jobs < 0) {
                throw new IllegalArgumentException("maxLen must be >= 0 (0 = no limit), was " + jobs);
            }
            this.maxLen = jobs;
            return this;
        }

        /**
         * Return from submits before replication completes (ADDJOB ASYNC; default false). Off, a submit returns once
         * every copy is stored, so a node that dies right after loses no acknowledged job; on, a submit costs no
         * replication round trip, but a job whose only copy so far was on a node that dies is lost.
         */
        public Builder async(boolean async) {
            this.async = async;
            return this;
        }

        /** How long Disque keeps a job past its tasque TTL (default 1 h); 0 lets Disque drop it at the TTL. */
        public Builder ttlGrace(Duration grace) {
            this.ttlGraceSeconds = seconds("ttlGrace", grace, 0);
            return this;
        }

        /** Disque TTL of a job whose payload carries no expiry time (default 30 days). */
        public Builder defaultTtl(Duration ttl) {
            this.defaultTtlSeconds = seconds("defaultTtl", ttl, 1);
            return this;
        }

        /** How long a dead-lettered job is kept (default 30 days). */
        public Builder deadLetterTtl(Duration ttl) {
            this.deadLetterTtlSeconds = seconds("deadLetterTtl", ttl, 1);
            return this;
        }

        /** How often the node list is asked again with HELLO (default 60 s). */
        public Builder nodeRefresh(Duration every) {
            if (every == null || every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("nodeRefresh must be > 0, was " + every);
            }
            this.nodeRefresh = every;
            return this;
        }

        /** The options as set. */
        public DisqueOptions build() {
            return new DisqueOptions(this);
        }

        private static long seconds(String what, Duration d, long min) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException(what + " must be >= " + min + " s, was " + d);
            }
            long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
            if (s < min) {
                throw new IllegalArgumentException(what + " must be >= " + min + " s, was " + d);
            }
            if (s > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " " + d + " is over Disque's limit of " + Integer.MAX_VALUE + " s");
            }
            return s;
        }
    }
}
