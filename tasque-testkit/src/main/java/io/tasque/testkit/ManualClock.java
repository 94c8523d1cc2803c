package io.tasque.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock a test moves by hand, so time-based behaviour (TTLs, delays, retry backoff) is checked without
 * waiting for it. Give it to {@code BrokerOptions}, {@code TasqueClient.builder()} or {@code Worker.builder()}.
 */
public final class ManualClock extends Clock {

    private final AtomicLong millis;

    /** A clock standing at {@code startMillis} (epoch ms) until advanced. */
    public ManualClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    /** A clock that reads the real time now and then moves only when told. */
    public static ManualClock startingNow() {
        return new ManualClock(System.currentTimeMillis());
    }

    /** Moves the clock forward by {@code d}. */
    public void advance(Duration d) {
        millis.addAndGet(d.toMillis());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
