package io.tasque.worker;

import io.tasque.broker.BrokerException;
import io.tasque.retry.ReconnectBackoff;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Settles a job's outcome with the broker despite an outage: calls until the broker answers, waiting 1 s,
 * doubling to 10 s, for at most one lease — past that the job is redelivered anyway, so giving up loses nothing.
 * A data error (a wrong-typed key) is not retried: waiting does not repair it, and the job is left in place.
 */
final class BrokerRetry implements Component {

    private final Duration patience;
    private final BrokerHealth health;
    private volatile boolean stopping;

    BrokerRetry(Duration patience, BrokerHealth health) {
        this.patience = patience;
        this.health = health;
    }

    boolean call(String what, BooleanSupplier call) {
        return get(what, call::getAsBoolean);
    }

    <T> T get(String what, Supplier<T> call) {
        ReconnectBackoff backoff = new ReconnectBackoff();
        long giveUp = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                T result = call.get();
                health.ok();
                return result;
            } catch (BrokerException e) {
                health.failed(what, e);
                Duration wait = backoff.failed();
                // bad data is not repaired by waiting: the job stays where it is (its lease runs out) instead
                if (stopping || e.kind() == BrokerException.Kind.DATA || System.nanoTime() + wait.toNanos() > giveUp) {
                    throw e;
                }
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Nothing to start: the retries run on their callers' threads. */
    @Override
    public void start() {
    }

    /** From now on a failed call gives up at once (the worker is stopping); a call waiting out a backoff ends after it. */
    @Override
    public boolean stop(Duration grace) {
        stopping = true;
        return true;
    }
}
