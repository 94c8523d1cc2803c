package io.tasque.spring;

import io.tasque.worker.Worker;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the auto-configured {@link Worker} once the application context is refreshed, and drains it when the
 * context closes: {@link Worker#close()} stops fetching, waits up to the worker's grace period for running jobs and
 * hands the rest back to their queues. The stop blocks the closing thread for that long (not bounded by
 * {@code spring.lifecycle.timeout-per-shutdown-phase}), so a running job is never cut short before its grace.
 * It is in the last phase: started after every other lifecycle bean, stopped before them, so what the handlers use
 * is still up while they drain. A worker does not start again once stopped: an explicit {@code context.stop()} ends
 * it for the life of the context.
 */
final class TasqueWorkerLifecycle implements SmartLifecycle {

    private final Worker worker;

    TasqueWorkerLifecycle(Worker worker) {
        this.worker = worker;
    }

    @Override
    public void start() {
        worker.start();
    }

    @Override
    public void stop() {
        worker.close();
    }

    @Override
    public boolean isRunning() {
        return worker.isRunning();
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }

    /**
     * False: a worker cannot start again once stopped, so a paused context (Spring's test context cache pauses the
     * contexts not in use) keeps its worker running; it drains when the context closes.
     */
    @Override
    public boolean isPauseable() {
        return false;
    }
}
