package io.tasque.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ties a worker to the JVM's shutdown (SIGTERM, SIGINT, System.exit): the hook closes the worker
 * gracefully — stop fetching, let running jobs finish within the grace period, hand back the rest. When the exit
 * came from a handler (System.exit inside a job), that job is settled as a failed attempt instead of handed back,
 * so a job that always exits ends in the dead letter rather than running forever.
 */
final class Shutdown {

    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

    private final Thread hook;

    Shutdown(Worker worker) {
        this.hook = new Thread(() -> {
            log.info("shutdown signal: draining worker");
            worker.close();
        }, "tasque-shutdown");
    }

    void register() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Removes the hook when the worker was closed by the program itself; harmless during JVM shutdown. */
    void unregister() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the JVM is exiting and the hook is (or was) running
        }
    }
}
