package io.tasque.worker;

import java.time.Duration;

/**
 * One runtime part of a worker that has threads of its own. {@link Worker} starts its components in order and
 * stops them in reverse, so each one's lifecycle is the same two calls.
 */
interface Component {

    /** Starts the component's threads; called once. */
    void start();

    /**
     * Stops the component, waiting at most {@code grace} for its threads to end; true if they did. Harmless on a
     * component never started and on one already stopped.
     */
    boolean stop(Duration grace);
}
