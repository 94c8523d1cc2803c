package io.tasque.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Sends POSIX signals to a process by running {@code kill -<SIGNAL> <pid>} and waits for SIGSTOP to take hold. */
public final class Signals {

    private static final Duration KILL_COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

    private Signals() {
    }

    /**
     * Sends the signal (e.g. "TERM", "STOP", "CONT") to the process.
     *
     * @throws IllegalStateException if {@code kill} fails while the process is still alive
     */
    static void send(Process process, String signal) {
        send(process.pid(), signal);
    }

    /**
     * Sends the signal (e.g. "TERM", "STOP", "CONT") to the process with this pid, as tests do to worker
     * processes they started.
     *
     * @throws IllegalStateException if {@code kill} fails while the process is still alive
     */
    public static void send(long pid, String signal) {
        Processes.Outcome outcome = Processes.run(KILL_COMMAND_TIMEOUT, List.of("kill", "-" + signal, Long.toString(pid)));
        if (outcome.exitCode() != 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException("'kill -" + signal + " " + pid + "' failed with exit code "
                    + outcome.exitCode() + ": " + outcome.output()
                    + "; check that the kill command is on PATH and the process belongs to this user");
        }
    }

    /**
     * Waits until the kernel reports the process as stopped, where /proc makes that visible (Linux); elsewhere
     * returns at once, as SIGSTOP takes effect before the target runs again.
     */
    static void awaitStopped(Process process) {
        awaitStopped(process.pid());
    }

    /**
     * Waits until the kernel reports the process with this pid as stopped (after a SIGSTOP), where /proc makes that
     * visible (Linux); elsewhere returns at once. Once it returns, none of the process's threads runs until SIGCONT.
     */
    public static void awaitStopped(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() - deadline < 0) {
            String content;
            try {
                content = new String(Files.readAllBytes(stat), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                return;
            }
            // The state letter follows the command name, which is in parentheses and may contain spaces.
            int afterName = content.lastIndexOf(')');
            if (afterName < 0 || afterName + 2 >= content.length()) {
                return;
            }
            char state = content.charAt(afterName + 2);
            if (state == 'T' || state == 't') {
                return;
            }
            Processes.pause(Duration.ofMillis(1));
        }
    }
}
