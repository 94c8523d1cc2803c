package io.tasque.reliability;

import io.tasque.broker.Broker;
import io.tasque.broker.InterceptedBroker;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A thin wrapper around a real broker that makes every {@code n}th reserve and ack call throw what no broker
 * should: an {@link IllegalStateException} (a bug) and, every other time, an {@link AssertionError} (an Error),
 * before the call reaches Redis, so nothing changes there. Everything else goes straight to the real broker.
 */
final class FaultyBroker {

    /** The message of every injected failure, for finding them in a worker's log. */
    static final String INJECTED = "injected broker fault";

    private FaultyBroker() {
    }

    static Broker wrap(Broker real, int every) {
        AtomicLong calls = new AtomicLong();
        return InterceptedBroker.before(real, (m, args) -> {
            if (m.equals("reserve") || m.equals("ack")) {
                long n = calls.incrementAndGet();
                if (n % every == 0) {
                    throw (n / every) % 2 == 0 ? new AssertionError(INJECTED + " #" + n) : new IllegalStateException(INJECTED + " #" + n);
                }
            }
        });
    }
}
