package io.tasque.samples.support;

import io.tasque.Task;
import io.tasque.worker.TaskHandler;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Wraps a handler and counts the distinct jobs it handled without throwing, so that a demo can wait until
 * every task it submitted was handled once. A job that is handled again (a retry after a lost ack) counts once;
 * a run that throws does not count.
 */
public final class CountingHandler implements TaskHandler {

    private final TaskHandler delegate;
    private final Set<String> handledIds = ConcurrentHashMap.newKeySet();
    private final CountDownLatch allHandled;

    /**
     * Counts the jobs {@code delegate} handles.
     *
     * @param expected how many jobs {@link #await} waits for
     */
    public CountingHandler(TaskHandler delegate, int expected) {
        if (expected < 0) {
            throw new IllegalArgumentException("expected must not be negative, got " + expected);
        }
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.allHandled = new CountDownLatch(expected);
    }

    @Override
    public void handle(Task task) throws Exception {
        delegate.handle(task);
        if (handledIds.add(task.id())) {
            allHandled.countDown();
        }
    }

    /**
     * Waits until the expected number of jobs was handled, or {@code deadline} passed.
     *
     * @return true if they were all handled in time
     */
    public boolean await(Duration deadline) throws InterruptedException {
        return allHandled.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How many distinct jobs were handled so far. */
    public int handled() {
        return handledIds.size();
    }
}
