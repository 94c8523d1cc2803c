package io.tasque.bench;

import io.tasque.worker.HandlerOptions;
import io.tasque.worker.TaskHandler;
import io.tasque.worker.Worker;
import java.util.Map;

/**
 * Builds the workers the phases run: default settings, the given concurrency, no JVM shutdown hook. With
 * {@code BENCH_MAX_RUNNING=n} in the environment every handler gets {@code maxRunning(n)}: a limit that, set above the
 * concurrency, never holds a job back, so a run shows what a limited queue costs per job.
 */
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
        String cap = System.getenv("BENCH_MAX_RUNNING");
        HandlerOptions options = cap == null || cap.isBlank() ? HandlerOptions.INHERIT
                : HandlerOptions.builder().maxRunning(Integer.parseInt(cap.trim())).build();
        handlers.forEach((name, handler) -> b.handle(name, handler, options));
        return b.build();
    }
}
