package io.tasque.testkit;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;

/** Starts one redis-server process and waits until it answers PING on its port. */
final class ServerLauncher {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    private static final String ADDRESS_IN_USE = "Address already in use";

    private ServerLauncher() {
    }

    /**
     * Launches the command line and returns the process once it answers PING on {@code port}.
     *
     * @throws PortInUseException    if the process exited because the port was taken
     * @throws IllegalStateException if it could not be started, exited for another reason, or did not answer
     *                               within the timeout (it is killed then)
     */
    static Process launch(List<String> argv, Path logFile, int port, Duration startupTimeout) {
        return launch(argv, logFile, port, startupTimeout, null);
    }

    /** Like {@link #launch(List, Path, int, Duration)}; probes over TLS when {@code tls} is not null. */
    static Process launch(List<String> argv, Path logFile, int port, Duration startupTimeout, SSLSocketFactory tls) {
        long logOffset = LogTail.size(logFile);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(logFile.toFile()));
        Process process;
        try {
            process = Processes.start(builder);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + argv.get(0) + ": " + e.getMessage()
                    + "; point RedisServer.builder().binary(...) or " + RedisBinary.OVERRIDE
                    + " at an executable redis-server", e);
        }
        ExitCleanup.register(process);
        closeStdin(process);
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                String log = LogTail.since(logFile, logOffset);
                if (log.contains(ADDRESS_IN_USE)) {
                    throw new PortInUseException(port, LogTail.lastLines(log));
                }
                throw new IllegalStateException("redis-server exited with code " + process.exitValue()
                        + " while starting on port " + port + "; check the binary and extra args. redis.log ("
                        + logFile + "):\n" + LogTail.lastLines(log));
            }
            if (answersAsItself(process, port, tls)) {
                return process;
            }
            if (System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                Processes.awaitExit(process, Duration.ofSeconds(10));
                String log = LogTail.since(logFile, logOffset);
                throw new IllegalStateException("redis-server (pid " + process.pid() + ") did not answer PING on "
                        + LoopbackPorts.HOST + ":" + port + " within " + startupTimeout.toMillis()
                        + " ms and was killed; raise startupTimeout(...) if the machine is slow. redis.log ("
                        + logFile + "):\n" + LogTail.lastLines(log));
            }
            try {
                Processes.pause(POLL_INTERVAL);
            } catch (IllegalStateException interrupted) {
                process.destroyForcibly();
                throw interrupted;
            }
        }
    }

    // A PONG could come from a different server that won a race for the port; confirm it is this process.
    private static boolean answersAsItself(Process process, int port, SSLSocketFactory tls) {
        if (!RespClient.ping(LoopbackPorts.HOST, port, PROBE_TIMEOUT, tls)) {
            return false;
        }
        try {
            String info = RespClient.call(LoopbackPorts.HOST, port, PROBE_TIMEOUT, tls, "INFO", "server");
            return info.contains("process_id:" + process.pid() + "\r")
                    || info.contains("process_id:" + process.pid() + "\n");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void closeStdin(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // redis-server never reads stdin; a failed close changes nothing
        }
    }
}
