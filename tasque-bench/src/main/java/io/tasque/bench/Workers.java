package io.tasque.bench;

import io.tasque.worker.TaskHandler;
import io.tasque.worker.Worker;
import java.util.Map;

/** Builds the workers the phases run: default settings, the given concurrency, no JVM shutdown hook. */
final class Workers {

    private Workers() {
    }

    /** A worker running {@code handler} for tasks named {@code name}; not started yet. */
    static Worker of(String uri, int concurrency, String name, TaskHandler handler) {
        return of(uri, concurrency, Map.of(name, handler));
    }

    /** A worker running each handler for the tasks of its name; not started yet. */
    static Worker of(String uri, int concurrency, Map<String, TaskHandler> handlers) {
        Worker.Builder b = Worker.builder()
                .broker(uri)
                .concurrency(concurrency)
                .shutdownHook(false);
        handlers.forEach(b::handle);
        return b.build();
    }
}
