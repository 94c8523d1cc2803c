package io.tasque.reliability;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker processes of one test: starts them, replaces dead ones (on demand, or continuously as a
 * process supervisor would), and kills every one of them on {@link #close()}.
 */
final class WorkerFleet implements AutoCloseable {

    private final Path logDir;
    private final List<WorkerProcess> all = new CopyOnWriteArrayList<>();
    private final AtomicInteger generation = new AtomicInteger();
    private ScheduledExecutorService supervisor;
    /** Set by {@link #close()}: the supervisor then starts nothing more. */
    private volatile boolean closed;

    WorkerFleet(Path logDir) {
        this.logDir = logDir;
    }

    WorkerProcess start(ChildSettings settings) {
        WorkerProcess p = WorkerProcess.start(settings, logDir);
        all.add(p);
        return p;
    }

    /** Starts a fresh process with the same settings under a new name ({@code A} → {@code A.2}). */
    WorkerProcess replace(WorkerProcess old) {
        String base = old.name().contains(".") ? old.name().substring(0, old.name().indexOf('.')) : old.name();
        return start(old.settings().named(base + "." + generation.incrementAndGet()));
    }

    /** From now on, every 200 ms, replaces each worker whose process has exited (a process supervisor). */
    synchronized void keepRunning() {
        if (supervisor != null) {
            return;
        }
        supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-supervisor");
            t.setDaemon(true);
            return t;
        });
        List<WorkerProcess> replaced = new CopyOnWriteArrayList<>();
        supervisor.scheduleWithFixedDelay(() -> {
            for (WorkerProcess p : all) {
                if (closed) {
                    return;
                }
                if (!p.isAlive() && !replaced.contains(p)) {
                    replaced.add(p);
                    try {
                        replace(p);
                    } catch (RuntimeException e) {
                        System.err.println("could not replace worker " + p + ": " + e);
                    }
                }
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (supervisor != null) {
            supervisor.shutdownNow();
            try {
                supervisor.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (WorkerProcess p : all) {
            p.close();
        }
    }
}
