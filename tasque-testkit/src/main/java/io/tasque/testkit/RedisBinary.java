package io.tasque.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds a redis-server binary: an explicit override, a recent enough one on PATH, or the one shipped in a jar. */
public final class RedisBinary {

    /** Environment variable or system property naming a redis-server binary to use instead of searching. */
    public static final String OVERRIDE = "TASQUE_REDIS_SERVER";

    private static final Logger LOG = LoggerFactory.getLogger(RedisBinary.class);
    private static final int MIN_MAJOR = 6;
    private static final int MIN_MINOR = 2;
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(10);

    private static Path extracted;

    private RedisBinary() {
    }

    /** Same as {@link #locate(String)} with this process's {@code PATH}. */
    public static Path locate() {
        return locate(System.getenv("PATH"));
    }

    /**
     * Picks the redis-server to run, in this order: the {@value #OVERRIDE} system property or environment
     * variable; the first {@code redis-server} on {@code pathEnv} whose version is 6.2 or newer; the binary
     * shipped in the embedded-redis jar for this OS and CPU ({@link #fromJar()}).
     *
     * @param pathEnv a PATH-style list of directories; null or empty searches nothing
     * @throws IllegalStateException if the override is not an executable file, or nothing suitable is found
     */
    public static Path locate(String pathEnv) {
        Optional<Path> override = override();
        if (override.isPresent()) {
            LOG.debug("using redis-server {} from {}", override.get(), OVERRIDE);
            return override.get();
        }
        List<String> rejected = new ArrayList<>();
        Optional<Path> onPath = searchPath(pathEnv, rejected);
        if (onPath.isPresent()) {
            LOG.debug("using redis-server {} found on PATH", onPath.get());
            return onPath.get();
        }
        try {
            return fromJar();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("no usable redis-server: " + OVERRIDE + " is not set; PATH has no"
                    + " redis-server " + MIN_MAJOR + "." + MIN_MINOR + " or newer"
                    + (rejected.isEmpty() ? "" : " (skipped " + String.join(", ", rejected) + ")")
                    + "; and " + e.getMessage()
                    + ". Install redis-server >= " + MIN_MAJOR + "." + MIN_MINOR
                    + " or set " + OVERRIDE + " to the path of a redis-server binary", e);
        }
    }

    /**
     * Extracts the redis-server shipped in the embedded-redis jar for this OS and CPU to a temp file (once per
     * JVM, deleted at exit), makes it executable and returns its path.
     *
     * @throws IllegalStateException if no binary is shipped for this platform or the jar is not on the classpath
     */
    public static synchronized Path fromJar() {
        if (extracted != null && Files.isExecutable(extracted)) {
            return extracted;
        }
        String resource = Platform.shippedBinaryResource().orElseThrow(() -> new IllegalStateException(
                "the embedded-redis jar ships no redis-server for " + Platform.describe()));
        try (InputStream in = RedisBinary.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is not on the classpath; add"
                        + " org.signal:embedded-redis to the dependencies");
            }
            Path file = Files.createTempFile("tasque-" + resource + "-", "");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            if (!file.toFile().setExecutable(true, true)) {
                throw new IllegalStateException("cannot make " + file + " executable; check the temp directory ("
                        + System.getProperty("java.io.tmpdir") + ") allows it");
            }
            extracted = file;
            LOG.info("extracted {} to {}", resource, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + resource + " to the temp directory "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code <binary> --version} and returns the version it reports, e.g. {@code "7.0.15"}.
     *
     * @throws IllegalStateException if the binary cannot be run or reports no version
     */
    public static String version(Path binary) {
        return parsedVersion(binary).text();
    }

    /**
     * True if this redis-server was built with TLS. It is started with a TLS port but no certificate: a build
     * with TLS then stops at once asking for its certificate file; one without never gets there.
     */
    public static boolean supportsTls(Path binary) {
        Path log = null;
        Process process = null;
        try {
            log = Files.createTempFile("tasque-tls-probe-", ".log");
            process = Processes.start(new ProcessBuilder(binary.toString(), "--port", "0", "--bind", LoopbackPorts.HOST,
                    "--tls-port", Integer.toString(LoopbackPorts.pickFree()), "--save", "", "--daemonize", "no",
                    "--logfile", "").redirectErrorStream(true).redirectOutput(log.toFile()));
            process.getOutputStream().close();
            process.waitFor(VERSION_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            String said = Files.readString(log);
            return said.contains("tls-cert-file") || said.contains("tls-key-file") || said.contains("configure TLS");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + binary + " to check for TLS: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (process != null) {
                process.destroyForcibly();
                Processes.awaitExit(process, VERSION_TIMEOUT);
            }
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a temp file; the OS cleans it up
                }
            }
        }
    }

    private static RedisVersion parsedVersion(Path binary) {
        Processes.Outcome outcome;
        try {
            outcome = Processes.run(VERSION_TIMEOUT, List.of(binary.toString(), "--version"));
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("cannot run " + binary + " --version: " + e.getMessage()
                    + "; check the path points at an executable redis-server", e);
        }
        try {
            return RedisVersion.parse(outcome.output());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(binary + " does not look like redis-server: " + e.getMessage()
                    + " (exit code " + outcome.exitCode() + ")", e);
        }
    }

    private static Optional<Path> override() {
        String value = System.getProperty(OVERRIDE);
        if (value == null || value.isBlank()) {
            value = System.getenv(OVERRIDE);
        }
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalStateException(OVERRIDE + "='" + value + "' is not a valid path; point it at a"
                    + " redis-server binary or unset it", e);
        }
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new IllegalStateException(OVERRIDE + "='" + value + "' is not an executable file; point it at"
                    + " a redis-server binary or unset it");
        }
        return Optional.of(path);
    }

    private static Optional<Path> searchPath(String pathEnv, List<String> rejected) {
        if (pathEnv == null || pathEnv.isEmpty()) {
            return Optional.empty();
        }
        for (String dir : pathEnv.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate;
            try {
                candidate = Path.of(dir, "redis-server").toAbsolutePath();
            } catch (InvalidPathException e) {
                continue;
            }
            if (!Files.isRegularFile(candidate) || !Files.isExecutable(candidate)) {
                continue;
            }
            try {
                RedisVersion version = parsedVersion(candidate);
                if (version.atLeast(MIN_MAJOR, MIN_MINOR)) {
                    return Optional.of(candidate);
                }
                rejected.add(candidate + " v" + version.text());
                LOG.debug("skipping {}: version {} is older than {}.{}", candidate, version.text(), MIN_MAJOR,
                        MIN_MINOR);
            } catch (IllegalStateException e) {
                rejected.add(candidate + " (" + e.getMessage() + ")");
                LOG.debug("skipping {}: {}", candidate, e.getMessage());
            }
        }
        return Optional.empty();
    }
}
