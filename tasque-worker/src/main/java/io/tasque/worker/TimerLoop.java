package io.tasque.worker;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread of a periodic worker component (lease keeper, janitor, cancel watch, schedule firer, queue
 * sampler), with the loops' safety net: each turn runs behind a {@link LoopGuard}, so nothing a turn throws escapes
 * (the timer would never run it again) and a turn that keeps failing backs off. {@link #stop} shuts the timer down;
 * a turn in progress is interrupted.
 */
final class TimerLoop {

    /** One turn of a fixed-rate loop. */
    @FunctionalInterface
    interface Turn {
        void run() throws Exception;
    }

    /** One turn of a loop that decides its own pace: returns how long to wait before the next turn, in ms. */
    @FunctionalInterface
    interface PacedTurn {
        long run() throws Exception;
    }

    private final LoopGuard guard;
    private final ScheduledExecutorService timer;

    /** A timer thread named {@code threadPrefix}1; {@code loop} names the loop in the guard's log lines. */
    TimerLoop(String threadPrefix, String loop, BrokerHealth health) {
        this.guard = new LoopGuard(loop, health);
        this.timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.named(threadPrefix, true));
    }

    /** Runs {@code turn} every {@code every}, the first time after {@code first}. */
    void every(Duration first, Duration every, Turn turn) {
        timer.scheduleWithFixedDelay(() -> {
            if (!guard.due()) {
                return;
            }
            try {
                turn.run();
                guard.succeeded();
            } catch (Throwable t) {
                guard.failed(t);
            }
        }, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code turn} at once, then again after the wait each turn returns (the guard's backoff after a failure). */
    void paced(PacedTurn turn) {
        timer.execute(() -> pacedTurn(turn));
    }

    private void pacedTurn(PacedTurn turn) {
        long wait;
        try {
            wait = turn.run();
            guard.succeeded();
        } catch (Throwable t) {
            wait = guard.failed(t).toMillis();
        }
        try {
            timer.schedule(() -> pacedTurn(turn), Math.max(0, wait), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // stop() shut the timer down during this turn: no more turns
        }
    }

    /** Cancels the timer; a turn in progress is interrupted. True if it ended within {@code grace}. */
    boolean stop(Duration grace) {
        timer.shutdownNow();
        try {
            return timer.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
