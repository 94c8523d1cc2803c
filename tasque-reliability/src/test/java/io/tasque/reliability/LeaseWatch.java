package io.tasque.reliability;

import io.tasque.testkit.RedisServer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples one job's lease deadline every 20 ms while a given attempt holds it, and keeps the latest one seen.
 * Reads the attempt and the deadline in one script, so a deadline is never credited to the wrong attempt.
 */
final class LeaseWatch implements AutoCloseable {

    /** A leased job's attempt is its count of runs over + 1 (see prelude.lua). */
    private static final String READ = "return {tostring((tonumber(redis.call('HGET', KEYS[1], ARGV[1])) or 0) + 1), "
            + "redis.call('ZSCORE', KEYS[2], ARGV[1]) or ''}";

    private final RedisServer redis;
    private final String id;
    private final String attempt;
    private final AtomicLong latest = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;

    LeaseWatch(RedisServer redis, String id, String attempt) {
        this.redis = redis;
        this.id = id;
        this.attempt = attempt;
        this.thread = new Thread(this::loop, "lease-watch");
        this.thread.setDaemon(true);
    }

    LeaseWatch start() {
        thread.start();
        return this;
    }

    private void loop() {
        while (!stopped) {
            String[] reply = redis.command("EVAL", READ, "2", TasqueKeys.ATTEMPTS, TasqueKeys.LEASED, id).split("\n", -1);
            if (reply.length == 2 && reply[0].equals(attempt) && !reply[1].isEmpty()) {
                latest.accumulateAndGet((long) Double.parseDouble(reply[1]), Math::max);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The latest lease deadline (epoch ms) seen for the attempt, or 0. */
    long latestDeadline() {
        return latest.get();
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
