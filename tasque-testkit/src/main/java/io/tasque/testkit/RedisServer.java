package io.tasque.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns one real redis-server process on 127.0.0.1: starts it, injects faults into it (stop, kill, pause,
 * restart) and cleans up after it. Every process is also killed when the JVM exits.
 */
public final class RedisServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);
    private static final Duration GRACEFUL_STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final int RANDOM_PORT_ATTEMPTS = 5;
    private static final int RESTART_ATTEMPTS = 5;
    private static final Duration RESTART_BACKOFF = Duration.ofMillis(100);

    private final Path binary;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final String appendFsync;
    private final List<String[]> extraArgs;
    private final Duration startupTimeout;
    private final TlsCertificates tls;
    private final SSLSocketFactory tlsProbe;
    private final Path sentinelConfig;

    private volatile int port;
    private volatile Process process;
    private volatile boolean paused;
    private boolean closed;

    private RedisServer(Builder builder, Path binary, Path dataDir, boolean ownsDataDir) {
        this.binary = binary;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.appendFsync = builder.appendFsync;
        this.extraArgs = List.copyOf(builder.extraArgs);
        this.startupTimeout = builder.startupTimeout;
        this.tls = builder.tls;
        this.tlsProbe = builder.tls == null ? null : builder.tls.socketFactory();
        this.sentinelConfig = builder.sentinelConfig;
        this.port = builder.port;
    }

    /** Starts a server with the defaults: a free loopback port, a fresh temp data dir, no persistence. */
    public static RedisServer start() {
        return builder().start();
    }

    /** A builder for a server with non-default settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the settings for a {@link RedisServer}; {@link #start()} launches it. */
    public static final class Builder {

        private static final Set<String> FSYNC_POLICIES = Set.of("always", "everysec", "no");
        private static final Set<String> MANAGED_OPTIONS =
                Set.of("port", "bind", "dir", "appendonly", "appendfsync", "daemonize", "logfile");

        private int port;
        private Path dataDir;
        private String appendFsync;
        private Path binary;
        private final List<String[]> extraArgs = new ArrayList<>();
        private Duration startupTimeout = Duration.ofSeconds(10);
        private TlsCertificates tls;
        private Path sentinelConfig;

        private Builder() {
        }

        /**
         * Runs a Sentinel instead of a data server ({@code redis-server <config> --sentinel}), with this config
         * file: it must hold the {@code sentinel monitor} lines and be writable, since Sentinel rewrites it as it
         * learns about replicas, other sentinels and failovers.
         */
        public Builder sentinel(Path configFile) {
            this.sentinelConfig = Objects.requireNonNull(configFile, "sentinel config file must not be null;"
                    + " omit sentinel(...) for a data server");
            return this;
        }

        /**
         * Serves TLS only, with these certificates: the port is the TLS port, the plain-text port is off, and
         * {@link RedisServer#uri()} is {@code rediss://127.0.0.1:<port>}. Clients need no certificate of their
         * own. Check {@link RedisBinary#supportsTls(Path)} first: not every build of redis-server has TLS.
         */
        public Builder tls(TlsCertificates certificates) {
            this.tls = Objects.requireNonNull(certificates, "certificates must not be null; omit tls(...) for plain text");
            return this;
        }

        /** The loopback port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 0..65535; use 0 for a free port");
            }
            if (port == LoopbackPorts.DEFAULT_REDIS_PORT) {
                throw new IllegalArgumentException("port " + port + " is left to the machine's own Redis; use 0"
                        + " for a free port or pick another one");
            }
            this.port = port;
            return this;
        }

        /** The working directory for AOF files and redis.log; by default a new temp dir deleted on close(). */
        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dataDir must not be null; omit it for a temp dir");
            return this;
        }

        /**
         * Turns on the append-only file with the given fsync policy ("always", "everysec" or "no");
         * null (the default) keeps AOF off.
         */
        public Builder appendOnly(String fsync) {
            if (fsync != null && !FSYNC_POLICIES.contains(fsync)) {
                throw new IllegalArgumentException("appendOnly fsync policy '" + fsync + "' is not one of"
                        + " \"always\", \"everysec\", \"no\"; pass one of those, or null for no AOF");
            }
            this.appendFsync = fsync;
            return this;
        }

        /** The redis-server binary to run; by default {@link RedisBinary#locate()}. */
        public Builder binary(Path redisServer) {
            this.binary = Objects.requireNonNull(redisServer,
                    "binary must not be null; omit it to use RedisBinary.locate()");
            return this;
        }

        /** Adds a config option passed as {@code --name value}, e.g. {@code arg("maxmemory", "100mb")}. */
        public Builder arg(String name, String value) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("config option name '" + name + "' is blank; pass a redis"
                        + " config name such as \"maxmemory\"");
            }
            if (value == null) {
                throw new IllegalArgumentException("config option '" + name + "' has a null value; pass \"\" for"
                        + " an empty one");
            }
            String bare = name.startsWith("--") ? name.substring(2) : name;
            if (MANAGED_OPTIONS.contains(bare)) {
                throw new IllegalArgumentException("config option '" + bare + "' is set by RedisServer itself;"
                        + " use port(...), dataDir(...) or appendOnly(...) instead (bind, daemonize and"
                        + " logfile are fixed)");
            }
            extraArgs.add(new String[] {bare, value});
            return this;
        }

        /** How long to wait for the server to answer PING; 10 s by default. */
        public Builder startupTimeout(Duration d) {
            Objects.requireNonNull(d, "startupTimeout must not be null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("startupTimeout " + d + " must be positive, e.g."
                        + " Duration.ofSeconds(10)");
            }
            this.startupTimeout = d;
            return this;
        }

        /**
         * Launches the server and waits until it answers PING.
         *
         * @throws IllegalStateException if it cannot be started; the message carries the tail of redis.log
         */
        public RedisServer start() {
            Path resolvedBinary = binary != null ? binary : RedisBinary.locate();
            boolean owns = dataDir == null;
            Path dir;
            try {
                dir = owns ? Files.createTempDirectory("tasque-redis-") : Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the data dir "
                        + (owns ? "in " + System.getProperty("java.io.tmpdir") : dataDir.toString()) + ": "
                        + e.getMessage(), e);
            }
            if (owns) {
                ExitCleanup.register(dir);
            }
            RedisServer server = new RedisServer(this, resolvedBinary, dir.toAbsolutePath(), owns);
            try {
                server.launchFirst();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        }
    }

    /** Always {@code 127.0.0.1}: servers listen on loopback only. */
    public String host() {
        return LoopbackPorts.HOST;
    }

    /** The port the server listens on; it stays the same across {@link #restart()}. */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}, or {@code rediss://127.0.0.1:<port>} for a TLS server. */
    public String uri() {
        return (tls == null ? "redis://" : "rediss://") + host() + ":" + port;
    }

    /** The certificates of a TLS server, or null for a plain-text one. */
    public TlsCertificates tls() {
        return tls;
    }

    /** The working directory holding AOF files and {@code redis.log}. */
    public Path dataDir() {
        return dataDir;
    }

    /** The redis-server binary this server runs. */
    public Path binary() {
        return binary;
    }

    /**
     * The pid of the current redis-server process.
     *
     * @throws IllegalStateException if it is not running
     */
    public long pid() {
        return requireRunning("pid()").pid();
    }

    /** True while the process is alive, including while it is paused. */
    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    boolean isPaused() {
        return paused && isRunning();
    }

    /** Shuts the server down gracefully (SIGTERM, SIGKILL after 10 s) and waits for it to exit; idempotent. */
    public synchronized void stop() {
        Process current = process;
        if (current == null || !current.isAlive()) {
            paused = false;
            return;
        }
        Signals.send(current, "TERM");
        if (paused) {
            Signals.send(current, "CONT");
        }
        if (!Processes.awaitExit(current, GRACEFUL_STOP_TIMEOUT)) {
            LOG.warn("redis-server on {} (pid {}) ignored SIGTERM for {} s; killing it", uri(), current.pid(),
                    GRACEFUL_STOP_TIMEOUT.toSeconds());
            killAndWait(current);
        }
        LOG.info("redis-server on {} stopped (pid {}, exit code {})", uri(), current.pid(), current.exitValue());
        paused = false;
    }

    /** Kills the server with SIGKILL and waits for it to exit; idempotent. */
    public synchronized void kill() {
        Process current = process;
        if (current == null || !current.isAlive()) {
            paused = false;
            return;
        }
        killAndWait(current);
        LOG.info("redis-server on {} killed (pid {})", uri(), current.pid());
        paused = false;
    }

    /** Freezes the process with SIGSTOP: it stays alive and keeps its port but answers nothing. */
    public synchronized void pause() {
        Process current = requireRunning("pause()");
        Signals.send(current, "STOP");
        Signals.awaitStopped(current);
        paused = true;
        LOG.info("redis-server on {} paused (pid {})", uri(), current.pid());
    }

    /** Thaws a paused process with SIGCONT. */
    public synchronized void resume() {
        Process current = requireRunning("resume()");
        Signals.send(current, "CONT");
        paused = false;
        LOG.info("redis-server on {} resumed (pid {})", uri(), current.pid());
    }

    /**
     * Stops the server if it is running, then starts it again on the same port and data dir (so AOF data is
     * reloaded) and waits until it answers PING. Retries a few times if the port is briefly still busy.
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("redis-server on " + uri() + " was closed; start a new RedisServer");
        }
        stop();
        for (int attempt = 1; ; attempt++) {
            try {
                launch(port);
                LOG.info("redis-server on {} restarted (pid {})", uri(), process.pid());
                return;
            } catch (PortInUseException e) {
                if (attempt >= RESTART_ATTEMPTS) {
                    throw new IllegalStateException("cannot restart redis-server: port " + port + " stayed in use"
                            + " over " + RESTART_ATTEMPTS + " attempts; stop whatever else listens on it", e);
                }
                LOG.info("port {} still busy, retrying restart (attempt {} of {})", port, attempt + 1,
                        RESTART_ATTEMPTS);
                Processes.pause(RESTART_BACKOFF.multipliedBy(attempt));
            }
        }
    }

    /** Deletes all keys in all databases with FLUSHALL; cached Lua scripts stay. */
    public void flushAll() {
        command("FLUSHALL");
    }

    /**
     * Sends one command over a fresh socket and returns the reply as a string: simple and bulk strings as they
     * are, integers in decimal, a null reply as {@code null}, arrays as their elements joined by {@code '\n'}.
     *
     * @throws IllegalStateException if Redis answers with an error; the message carries the error text
     * @throws UncheckedIOException  if the server cannot be reached or does not answer within 10 s
     */
    public String command(String... args) {
        return RespClient.call(host(), port, COMMAND_TIMEOUT, tlsProbe, args);
    }

    /** Kills the process if it is running, then deletes the data dir if this server created it; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        kill();
        closed = true;
        if (ownsDataDir) {
            try {
                Directories.deleteRecursively(dataDir);
                ExitCleanup.forget(dataDir);
            } catch (IOException e) {
                LOG.warn("could not delete data dir {} of redis-server on {}: {}", dataDir, uri(), e.toString());
            }
        }
        LOG.debug("redis-server on {} closed", uri());
    }

    @Override
    public String toString() {
        return "RedisServer[" + uri() + ", " + (isRunning() ? (isPaused() ? "paused" : "running") : "not running")
                + ", dir " + dataDir + "]";
    }

    private void launchFirst() {
        if (port != 0) {
            launch(port);
        } else {
            for (int attempt = 1; ; attempt++) {
                int candidate = LoopbackPorts.pickFree();
                try {
                    launch(candidate);
                    break;
                } catch (PortInUseException e) {
                    if (attempt >= RANDOM_PORT_ATTEMPTS) {
                        throw new IllegalStateException("redis-server could not bind a free loopback port in "
                                + RANDOM_PORT_ATTEMPTS + " attempts; set one with builder().port(...)", e);
                    }
                    LOG.info("port {} was taken before redis-server bound it; trying another", candidate);
                }
            }
        }
        LOG.info("redis-server {} started on {} (pid {}, dir {})", binary, uri(), process.pid(), dataDir);
    }

    private void launch(int onPort) {
        List<String> argv = ServerCommandLine.build(binary, onPort, dataDir, appendFsync, extraArgs, tls);
        if (sentinelConfig != null) {
            // the config file must come first; the mode flag may come anywhere
            argv.add(1, sentinelConfig.toAbsolutePath().toString());
            argv.add("--sentinel");
        }
        Process started = ServerLauncher.launch(argv, dataDir.resolve(ServerCommandLine.LOG_FILE), onPort,
                startupTimeout, tlsProbe);
        this.port = onPort;
        this.process = started;
        this.paused = false;
    }

    private Process requireRunning(String operation) {
        Process current = process;
        if (current == null || !current.isAlive()) {
            throw new IllegalStateException(operation + " needs a running redis-server, but the one on " + uri()
                    + " is not running; call restart() first");
        }
        return current;
    }

    private void killAndWait(Process current) {
        current.destroyForcibly();
        if (!Processes.awaitExit(current, KILL_TIMEOUT)) {
            throw new IllegalStateException("redis-server pid " + current.pid() + " on " + uri()
                    + " is still alive " + KILL_TIMEOUT.toSeconds() + " s after SIGKILL; check it with ps");
        }
    }
}
