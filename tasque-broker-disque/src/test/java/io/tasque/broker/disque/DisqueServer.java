package io.tasque.broker.disque;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A real {@code disque-server} for tests: found through {@value #SERVER_ENV} or on the PATH, started on a free
 * loopback port (its cluster bus takes port + 10000) with a data dir of its own, and killed on close or when the
 * JVM exits. Nothing here builds or downloads Disque.
 */
final class DisqueServer implements AutoCloseable {

    /** Environment variable naming a disque-server binary. */
    static final String SERVER_ENV = "TASQUE_DISQUE_SERVER";

    private static final Duration STARTUP = Duration.ofSeconds(10);
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final JedisClientConfig RAW = DefaultJedisClientConfig.builder()
            .socketTimeoutMillis(5000).connectionTimeoutMillis(2000)
            .clientSetInfoConfig(ClientSetInfoConfig.DISABLED).autoNegotiateProtocol(false).build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "disque-test-cleanup"));
    }

    private final Process process;
    private final int port;
    private final Path dir;

    private DisqueServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** The disque-server to run, or null when there is none: {@value #SERVER_ENV}, else {@code disque-server} on the PATH. */
    static Path binary() {
        String env = System.getenv(SERVER_ENV);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env.trim());
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(SERVER_ENV + "=" + env + " is not an executable file; point it at a"
                        + " disque-server binary or unset it");
            }
            return p;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                Path p = Path.of(d, "disque-server");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Starts a server with extra {@code --name value} options, on a free port, and waits until it answers. */
    static DisqueServer start(Path binary, String... extraArgs) {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePortPair();
            Path dir = null;
            try {
                dir = Files.createTempDirectory("tasque-disque-");
                List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
                        "--bind", "127.0.0.1", "--appendonly", "no", "--daemonize", "no",
                        "--dir", dir.toString(), "--logfile", dir.resolve("disque.log").toString()));
                cmd.addAll(List.of(extraArgs));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
                RUNNING.add(p);
                DisqueServer server = new DisqueServer(p, port, dir);
                if (server.awaitPing()) {
                    return server;
                }
                server.close();
                last = new IOException("disque-server on port " + port + " did not answer PING within " + STARTUP);
            } catch (IOException e) {
                last = e;
                deleteQuietly(dir);
            }
        }
        throw new UncheckedIOException("could not start " + binary, last);
    }

    private boolean awaitPing() {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Jedis j = connect()) {
                if ("PONG".equals(j.ping())) {
                    return true;
                }
            } catch (JedisException e) {
                sleep(50);
            }
        }
        return false;
    }

    /** A random port whose cluster bus port (+10000) is free as well; never 6379 or 7711. */
    private static int freePortPair() {
        for (int i = 0; i < 100; i++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 55000);
            if (free(port) && free(port + 10000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port pair (p, p+10000) found in 20000..65000");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    int port() {
        return port;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    String uri() {
        return "disque://" + address();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** A plain connection for test checks; the caller closes it. */
    Jedis connect() {
        return new Jedis(new HostAndPort("127.0.0.1", port), RAW);
    }

    /** Sends one command and returns its reply. */
    Object send(DisqueCommand command, String... args) {
        try (Jedis j = connect()) {
            return j.sendCommand(command, args);
        }
    }

    /** SIGKILL: the node vanishes without a goodbye, as in a crash. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(process);
    }

    @Override
    public void close() {
        kill();
        deleteQuietly(dir);
    }

    /** The tail of the server's log, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("disque.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
