package io.tasque.broker.disque;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code ADDJOB queue body ms-timeout [REPLICATE n] [DELAY s] [RETRY s] [TTL s] [MAXLEN n] [ASYNC]}, built
 * step by step, plus the rules that turn tasque's millisecond times into Disque's whole seconds.
 */
final class AddJob {

    private final String queue;
    private final byte[] body;
    private long timeoutMillis;
    private int replicate;
    private long delaySeconds;
    private long retrySeconds = -1;
    private long ttlSeconds;
    private int maxLen;
    private boolean async;

    private AddJob(String queue, byte[] body) {
        this.queue = queue;
        this.body = body;
    }

    static AddJob to(String queue, byte[] body) {
        return new AddJob(queue, body);
    }

    /** How long Disque may wait for replication before it refuses the job (0 = Disque's minimum). */
    AddJob timeout(long millis) {
        this.timeoutMillis = Math.max(0, millis);
        return this;
    }

    /** 0 leaves REPLICATE out (Disque's default). */
    AddJob replicate(int copies) {
        this.replicate = copies;
        return this;
    }

    AddJob delay(long seconds) {
        this.delaySeconds = seconds;
        return this;
    }

    AddJob retry(long seconds) {
        this.retrySeconds = seconds;
        return this;
    }

    AddJob ttl(long seconds) {
        this.ttlSeconds = seconds;
        return this;
    }

    /** 0 leaves MAXLEN out. */
    AddJob maxLen(int jobs) {
        this.maxLen = jobs;
        return this;
    }

    AddJob async(boolean async) {
        this.async = async;
        return this;
    }

    String queue() {
        return queue;
    }

    long delaySeconds() {
        return delaySeconds;
    }

    long ttlSeconds() {
        return ttlSeconds;
    }

    /** The command's arguments, after the command name. */
    byte[][] args() {
        List<byte[]> a = new ArrayList<>(14);
        a.add(Replies.bytes(queue));
        a.add(body);
        a.add(Replies.bytes(Long.toString(timeoutMillis)));
        if (replicate > 0) {
            option(a, "REPLICATE", replicate);
        }
        if (delaySeconds > 0) {
            option(a, "DELAY", delaySeconds);
        }
        if (retrySeconds >= 0) {
            option(a, "RETRY", retrySeconds);
        }
        if (ttlSeconds > 0) {
            option(a, "TTL", ttlSeconds);
        }
        if (maxLen > 0) {
            option(a, "MAXLEN", maxLen);
        }
        if (async) {
            a.add(Replies.bytes("ASYNC"));
        }
        return a.toArray(new byte[0][]);
    }

    private static void option(List<byte[]> a, String name, long value) {
        a.add(Replies.bytes(name));
        a.add(Replies.bytes(Long.toString(value)));
    }

    /** Whole seconds from {@code nowMillis} until {@code dueAtMillis}, rounded up so a job never runs early; 0 = now. */
    static long delaySeconds(long dueAtMillis, long nowMillis) {
        long ms = dueAtMillis - nowMillis;
        if (dueAtMillis == 0 || ms <= 0) {
            return 0;
        }
        return (ms + 999) / 1000;
    }

    /**
     * The Disque TTL of a job: until its tasque expiry plus {@code graceSeconds} (so a worker can still
     * dead-letter it instead of Disque dropping it), or {@code defaultSeconds} when it has no expiry; always
     * longer than its delay, which Disque requires.
     */
    static long ttlSeconds(long expiresAtMillis, long nowMillis, long delaySeconds, long graceSeconds, long defaultSeconds) {
        long ttl;
        if (expiresAtMillis > 0) {
            long left = Math.max(0, expiresAtMillis - nowMillis);
            ttl = (left + 999) / 1000 + graceSeconds;
        } else {
            ttl = defaultSeconds;
        }
        long outlivesDelay = delaySeconds > 0 ? delaySeconds + Math.max(1, graceSeconds) : 1;
        return Math.max(ttl, outlivesDelay);
    }
}
