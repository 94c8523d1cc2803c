package io.tasque.worker;

import io.tasque.retry.ReconnectBackoff;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one safety net of every long-running loop of a worker (fetch lanes, acker, lease keeper, janitor): a turn
 * that throws anything at all is logged with the loop's name (once per run of failures, not once per turn), the
 * loop backs off 1 s, doubling to 10 s, and goes on. A loop that fails with an {@link Error} {@value #FATAL_ERRORS}
 * times in a row cannot be trusted to go on: the worker is stopped loudly (an error in the log, the reason in
 * {@link Worker#health()}, {@link Worker#isRunning()} false) rather than left running without it.
 * Not thread-safe: one per loop.
 */
final class LoopGuard {

    private static final Logger log = LoggerFactory.getLogger(LoopGuard.class);

    /** Errors in a row after which the worker is stopped. */
    static final int FATAL_ERRORS = 3;

    private final String loop;
    private final BrokerHealth health;
    private final ReconnectBackoff backoff = new ReconnectBackoff();
    private int errorsInRow;
    private long pausedUntilNanos;

    LoopGuard(String loop, BrokerHealth health) {
        this.loop = loop;
        this.health = health;
    }

    /** Records a failed turn and returns how long the loop should back off before its next turn. */
    Duration failed(Throwable t) {
        errorsInRow = t instanceof Error ? errorsInRow + 1 : 0;
        Duration wait = backoff.failed();
        pausedUntilNanos = System.nanoTime() + wait.toNanos();
        if (backoff.failures() == 1) {
            log.error("{} failed unexpectedly; it backs off {} ms (doubling to 10 s) and goes on", loop, wait.toMillis(), t);
        }
        if (errorsInRow == FATAL_ERRORS) {
            String why = loop + " failed " + FATAL_ERRORS + " times in a row, last with " + t;
            log.error("{}; stopping the worker: without this loop it cannot do its work", why, t);
            health.stopWorker(why);
        }
        return wait;
    }

    /** Records a turn that went through; ends a run of failures (logged once). */
    void succeeded() {
        int failures = backoff.failures();
        if (backoff.succeeded()) {
            errorsInRow = 0;
            pausedUntilNanos = 0;
            log.info("{} works again after {} failed turn(s)", loop, failures);
        }
    }

    /** For a loop on a timer: false while it backs off after a failure, so that turn is skipped. */
    boolean due() {
        return backoff.failures() == 0 || System.nanoTime() - pausedUntilNanos >= 0;
    }
}
