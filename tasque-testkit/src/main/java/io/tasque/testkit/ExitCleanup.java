package io.tasque.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Kills redis-server processes still running when the JVM exits, then deletes the temp directories they used,
 * so nothing started by this JVM outlives it.
 */
final class ExitCleanup {

    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

    private ExitCleanup() {
    }

    /** Tracks the process until it exits. */
    static void register(Process process) {
        installHook();
        PROCESSES.add(process);
        process.onExit().thenRun(() -> PROCESSES.remove(process));
    }

    /** Tracks a directory to delete at JVM exit unless {@link #forget(Path)} is called first. */
    static void register(Path directory) {
        installHook();
        DIRECTORIES.add(directory);
    }

    static void forget(Path directory) {
        DIRECTORIES.remove(directory);
    }

    private static void installHook() {
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Thread hook = new Thread(ExitCleanup::runAtExit, "tasque-redis-exit-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    // Runs inside a shutdown hook: no logging (the logging backend may already be stopped) and no locks.
    private static void runAtExit() {
        for (Process process : PROCESSES) {
            process.destroyForcibly();
        }
        for (Process process : PROCESSES) {
            try {
                Processes.awaitExit(process, Duration.ofSeconds(2));
            } catch (RuntimeException ignored) {
                // the JVM is exiting; nothing more can be done for this process
            }
        }
        for (Path directory : DIRECTORIES) {
            try {
                Directories.deleteRecursively(directory);
            } catch (IOException | RuntimeException ignored) {
                // best effort at exit: a leftover temp directory is harmless
            }
        }
    }
}
