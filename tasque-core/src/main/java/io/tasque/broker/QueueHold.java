package io.tasque.broker;

/**
 * A queue a {@link LimitedReserve} call leased nothing from because of its limits although it had jobs ready: held
 * by its rate until {@code untilMillis} (epoch ms), or, when that is -1, by its cap until one of its runs ends (the
 * broker then wakes the waiting workers).
 */
public record QueueHold(String queue, long untilMillis) {

    /** True when the queue is held until a run of it ends, not until a time. */
    public boolean untilARunEnds() {
        return untilMillis < 0;
    }
}
