package io.tasque.broker.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds every Redis key tasque uses. All keys of one queue share the hash tag {@code {<queue>}}, so each
 * Lua script touches a single slot and runs on Redis Cluster too.
 *
 * <pre>
 * &lt;prefix&gt;:{&lt;queue&gt;}:jobs      HASH  id -&gt; payload (JSON envelope)
 * &lt;prefix&gt;:{&lt;queue&gt;}:ready     LIST  ids ready to run, FIFO
 * &lt;prefix&gt;:{&lt;queue&gt;}:delayed   ZSET  id -&gt; due time (epoch ms): delayed submits and retries
 * &lt;prefix&gt;:{&lt;queue&gt;}:leased    ZSET  id -&gt; lease deadline (epoch ms): running jobs
 * &lt;prefix&gt;:{&lt;queue&gt;}:attempts  HASH  id -&gt; runs over; a leased job's attempt (its lease's fencing token) is this + 1
 * &lt;prefix&gt;:{&lt;queue&gt;}:expired   HASH  id -&gt; leases that ran out
 * &lt;prefix&gt;:{&lt;queue&gt;}:errors    HASH  id -&gt; last error
 * &lt;prefix&gt;:{&lt;queue&gt;}:dead      ZSET  id -&gt; time of death (epoch ms)
 * &lt;prefix&gt;:{&lt;queue&gt;}:wake      LIST  at most one token; idle workers block on it
 * &lt;prefix&gt;:{&lt;queue&gt;}:unique    ZSET  id -&gt; caller-chosen ids with a uniqueness window: -(window ms) while the
 *                                job is stored, the end of the window (epoch ms) once it succeeded (its done record)
 * &lt;prefix&gt;:{&lt;queue&gt;}:cancelled ZSET  id -&gt; -(time of the cancel) while a cancelled job's run goes on; the time
 *                                of the cancel (epoch ms) once it ended, or at once for a ready or delayed job
 * &lt;prefix&gt;:{&lt;queue&gt;}:limits    HASH  a rate's next start time ('=' for the queue, 'v:&lt;param value&gt;' per
 *                                value), 'cap' while the queue is held by its cap on running jobs
 * &lt;prefix&gt;:{&lt;queue&gt;}:counters  HASH  'completed' -&gt; runs acked, 'failed' -&gt; runs retried or dead-lettered
 * </pre>
 */
final class Keys {

    final String queue;
    final byte[] jobs;
    final byte[] ready;
    final byte[] delayed;
    final byte[] leased;
    final byte[] attempts;
    final byte[] expired;
    final byte[] errors;
    final byte[] dead;
    final byte[] wake;
    final byte[] unique;
    final byte[] cancelled;
    final byte[] limits;
    final byte[] counters;
    /** The Redis Cluster slot every key of this queue hashes to (its hash tag), so calls can be grouped by slot. */
    final int slot;

    Keys(String prefix, String queue) {
        this.queue = queue;
        String base = prefix + ":{" + queue + "}:";
        this.jobs = bytes(base + "jobs");
        this.ready = bytes(base + "ready");
        this.delayed = bytes(base + "delayed");
        this.leased = bytes(base + "leased");
        this.attempts = bytes(base + "attempts");
        this.expired = bytes(base + "expired");
        this.errors = bytes(base + "errors");
        this.dead = bytes(base + "dead");
        this.wake = bytes(base + "wake");
        this.unique = bytes(base + "unique");
        this.cancelled = bytes(base + "cancelled");
        this.limits = bytes(base + "limits");
        this.counters = bytes(base + "counters");
        this.slot = ClusterSlots.slot(this.jobs);
    }

    /** The SCAN pattern matching the jobs hash of every queue under {@code prefix}. */
    static String jobsPattern(String prefix) {
        return prefix + ":{*}:jobs";
    }

    /** The queue name in a key built by this class, or null if the key is not one of ours. */
    static String queueOf(String prefix, String key) {
        String start = prefix + ":{";
        int close = key.indexOf("}:", start.length());
        return key.startsWith(start) && close > 0 ? key.substring(start.length(), close) : null;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Adds this queue's 12 keys of {@code reserve.lua}, in its KEYS order. */
    void addReserveKeys(List<byte[]> keys) {
        keys.add(ready);
        keys.add(delayed);
        keys.add(leased);
        keys.add(jobs);
        keys.add(attempts);
        keys.add(expired);
        keys.add(wake);
        keys.add(errors);
        keys.add(unique);
        keys.add(cancelled);
        keys.add(limits);
        keys.add(counters);
    }

    /** Adds this queue's 11 keys of {@code housekeep.lua}, in its KEYS order. */
    void addHousekeepKeys(List<byte[]> keys) {
        keys.add(ready);
        keys.add(delayed);
        keys.add(leased);
        keys.add(expired);
        keys.add(wake);
        keys.add(attempts);
        keys.add(unique);
        keys.add(jobs);
        keys.add(errors);
        keys.add(cancelled);
        keys.add(limits);
    }

    /** This queue's 10 keys of {@code ack.lua}, in its KEYS order. */
    List<byte[]> ackKeys() {
        return List.of(leased, jobs, attempts, expired, errors, unique, cancelled, limits, wake, counters);
    }

    /** This queue's 11 keys of {@code retry.lua}, in its KEYS order. */
    List<byte[]> retryKeys() {
        return List.of(leased, delayed, attempts, errors, wake, jobs, expired, unique, cancelled, limits, counters);
    }

    /** This queue's 11 keys of {@code bury.lua}, in its KEYS order. */
    List<byte[]> buryKeys() {
        return List.of(leased, dead, attempts, errors, jobs, expired, unique, cancelled, limits, wake, counters);
    }

    /** This queue's 10 keys of {@code release.lua}, in its KEYS order. */
    List<byte[]> releaseKeys() {
        return List.of(leased, ready, attempts, wake, jobs, expired, errors, unique, cancelled, limits);
    }

    /** This queue's 10 keys of {@code cancel.lua}, in its KEYS order. */
    List<byte[]> cancelKeys() {
        return List.of(jobs, ready, delayed, leased, attempts, expired, errors, unique, cancelled, dead);
    }
}
