package io.tasque.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Ticks every fixed period, at the whole multiples of the period since the Unix epoch (UTC): every 10 s fires at
 * :00, :10, :20 … of each minute, every 1 h at each full hour UTC, whoever registered it and whenever. So every
 * worker computes the same ticks, and registering the same period again keeps them.
 */
public record EveryTrigger(Duration every) implements ScheduleTrigger {

    /** Shortest period accepted: 1 s. */
    public static final Duration MIN_EVERY = Duration.ofSeconds(1);

    public EveryTrigger {
        Objects.requireNonNull(every, "every");
    }

    /**
     * @throws IllegalArgumentException naming the value when it is null, shorter than {@link #MIN_EVERY} or not whole
     *                                  milliseconds
     */
    public static EveryTrigger of(Duration every) {
        if (every == null) {
            throw new IllegalArgumentException("every must not be null");
        }
        if (every.compareTo(MIN_EVERY) < 0) {
            throw new IllegalArgumentException("every must be at least " + MIN_EVERY + ", was " + every);
        }
        if (every.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("every must be whole milliseconds, was " + every);
        }
        return new EveryTrigger(every);
    }

    @Override
    public Instant next(Instant instant) {
        long period = every.toMillis();
        long at = instant.toEpochMilli();
        return Instant.ofEpochMilli(Math.floorDiv(at, period) * period + period);
    }

    @Override
    public Instant latest(Instant from, Instant now) {
        long period = every.toMillis();
        Instant last = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), period) * period);
        return last.isAfter(from) ? last : from;
    }

    @Override
    public String text() {
        return "every " + every;
    }
}
