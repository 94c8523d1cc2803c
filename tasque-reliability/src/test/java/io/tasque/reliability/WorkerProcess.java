package io.tasque.reliability;

import io.tasque.testkit.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One worker JVM started as a child process from this test's classpath, so it can really be killed
 * (SIGKILL) and frozen (SIGSTOP / SIGCONT). Its stdout and stderr (slf4j-simple) go to a log file the test
 * can read. Every child is also killed when the test JVM exits, so none outlives the build.
 */
final class WorkerProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "kill-child-workers"));
    }

    private final ChildSettings settings;
    private final Path logFile;
    private final Process process;

    private WorkerProcess(ChildSettings settings, Path logFile, Process process) {
        this.settings = settings;
        this.logFile = logFile;
        this.process = process;
    }

    /** Starts the child and waits until its worker runs. */
    static WorkerProcess start(ChildSettings settings, Path logDir) {
        Path log = logDir.resolve(settings.name() + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp", classPath(),
                ChildWorker.class.getName()));
        command.addAll(settings.args());
        Process p;
        try {
            Files.createDirectories(logDir);
            p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start child worker " + settings.name(), e);
        }
        LIVE.add(p);
        p.onExit().thenRun(() -> LIVE.remove(p));
        WorkerProcess child = new WorkerProcess(settings, log, p);
        child.awaitReady();
        return child;
    }

    /** Surefire runs tests from a manifest-only jar; its real class path is in surefire.test.class.path. */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!log().contains(ChildWorker.READY)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("child worker " + name() + " exited with " + process.exitValue()
                        + " before it was ready; its log:\n" + log());
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("child worker " + name() + " was not ready within " + READY_TIMEOUT
                        + "; its log:\n" + log());
            }
            try {
                pauseBriefly();
            } catch (IllegalStateException interrupted) {
                // nobody will hold this child: kill it rather than let it serve the queues of the next test
                close();
                throw interrupted;
            }
        }
    }

    String name() {
        return settings.name();
    }

    ChildSettings settings() {
        return settings;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("child worker " + name() + " survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the whole JVM freezes, heartbeats included; returns once the kernel reports it stopped. */
    void pause() {
        Signals.send(pid(), "STOP");
        Signals.awaitStopped(pid());
    }

    /** SIGCONT. */
    void resume() {
        Signals.send(pid(), "CONT");
    }

    /** Everything the child has written so far. */
    String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> logLines() {
        return log().lines().toList();
    }

    /** How many log lines contain {@code text}. */
    long linesContaining(String text) {
        return logLines().stream().filter(l -> l.contains(text)).count();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return name() + " (pid " + pid() + (isAlive() ? ")" : ", exited)");
    }

    private static void pauseBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a child worker", e);
        }
    }
}
