package io.tasque.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis master, its replicas and three Sentinels (quorum two) monitoring it as {@value #MASTER_NAME}, all real
 * processes on loopback, tuned so that a failover completes within seconds: a master that does not answer for
 * {@link #DOWN_AFTER} is down. {@link #killMaster()} and {@link #awaitPromotion} drive a failover;
 * {@link #uri()} is the {@code redis-sentinel://} URI of the deployment.
 */
public final class RedisSentinelDeployment implements AutoCloseable {

    /** The name the sentinels monitor the master under. */
    public static final String MASTER_NAME = "mymaster";
    /** How long the master must be silent before a sentinel takes it for down. */
    public static final Duration DOWN_AFTER = Duration.ofMillis(1000);
    /** Sentinel's failover-timeout: a failover that stalls is retried after twice this. */
    public static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(4);
    private static final int SENTINELS = 3;
    private static final int QUORUM = 2;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final String CONFIG_FILE = "sentinel.conf";
    private static final int PORT_ATTEMPTS = 3;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = LoggerFactory.getLogger(RedisSentinelDeployment.class);

    private final List<RedisServer> dataServers = new ArrayList<>();
    private final List<RedisServer> sentinels = new ArrayList<>();
    private final List<Path> sentinelDirs = new ArrayList<>();
    /** The certificates every server and sentinel serves TLS with, or null for plain text. */
    private final TlsCertificates tls;

    private RedisSentinelDeployment(TlsCertificates tls) {
        this.tls = tls;
    }

    /** Starts a master, one replica and three sentinels, and returns once the sentinels know all of them. */
    public static RedisSentinelDeployment start() {
        return start(1);
    }

    /**
     * Starts a master, {@code replicas} replicas and three sentinels, and returns once every replica is in sync
     * and every sentinel knows every replica and the other two sentinels (so a failover can start at once).
     */
    public static RedisSentinelDeployment start(int replicas) {
        return start(replicas, null);
    }

    /**
     * Like {@link #start(int)}, with TLS everywhere and nothing in plain text: the data servers and the sentinels
     * serve TLS only ({@link RedisServer.Builder#tls}), replicas sync from their master over TLS and the sentinels
     * reach the servers and each other over TLS ({@code tls-replication yes}). {@link #uri()} is then
     * {@code rediss-sentinel://…}. Check {@link RedisBinary#supportsTls(Path)} first.
     */
    public static RedisSentinelDeployment startTls(int replicas, TlsCertificates certificates) {
        return start(replicas, java.util.Objects.requireNonNull(certificates,
                "certificates must not be null; use start(replicas) for plain text"));
    }

    private static RedisSentinelDeployment start(int replicas, TlsCertificates tls) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be >= 1 for a failover to have a candidate, was " + replicas);
        }
        RedisSentinelDeployment d = new RedisSentinelDeployment(tls);
        try {
            d.startDataServers(replicas);
            d.startSentinels();
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void startDataServers(int replicas) {
        // no delay before a diskless sync, so that a replica (re)joining a master is in sync within milliseconds
        RedisServer master = builder().arg("repl-diskless-sync-delay", "0").start();
        dataServers.add(master);
        for (int i = 0; i < replicas; i++) {
            dataServers.add(builder().arg("repl-diskless-sync-delay", "0")
                    .arg("replicaof", master.host() + " " + master.port()).start());
        }
        master.command("SET", "tasque-deployment-check", "1");
        for (RedisServer replica : dataServers.subList(1, dataServers.size())) {
            await("replica " + replica.uri() + " in sync with " + master.uri(), READY_TIMEOUT,
                    () -> "1".equals(replica.command("GET", "tasque-deployment-check")), () -> replica.command("INFO", "replication"));
        }
        master.command("DEL", "tasque-deployment-check");
    }

    private void startSentinels() {
        for (int attempt = 1; ; attempt++) {
            try {
                startSentinelsOnce();
                break;
            } catch (PortInUseException lostRace) {
                closeSentinels();
                if (attempt >= PORT_ATTEMPTS) {
                    throw new IllegalStateException("sentinels could not bind free loopback ports in " + PORT_ATTEMPTS
                            + " attempts", lostRace);
                }
            }
        }
        int replicas = dataServers.size() - 1;
        for (RedisServer sentinel : sentinels) {
            await("sentinel " + sentinel.uri() + " to know " + replicas + " healthy replica(s) and " + (SENTINELS - 1)
                            + " other sentinels", READY_TIMEOUT,
                    () -> String.valueOf(SENTINELS - 1).equals(masterState(sentinel).get("num-other-sentinels"))
                            && healthyReplicas(sentinel) == replicas,
                    () -> masterState(sentinel) + "; replicas: " + sentinel.command("SENTINEL", "REPLICAS", MASTER_NAME).replace('\n', ' '));
        }
        LOG.info("sentinel deployment ready: {}", uri());
    }

    /**
     * Starts the sentinels on ports picked beforehand, each config file naming the other two (with the ids they
     * are given), so they know each other at once instead of after their first hello messages (two seconds).
     */
    private void startSentinelsOnce() {
        RedisServer master = dataServers.get(0);
        List<Integer> ports = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        while (ports.size() < SENTINELS) {
            int p = LoopbackPorts.pickFree();
            if (!ports.contains(p)) {
                ports.add(p);
                ids.add(sentinelId());
            }
        }
        for (int i = 0; i < SENTINELS; i++) {
            List<String> config = new ArrayList<>(List.of(
                    "sentinel myid " + ids.get(i),
                    "sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port() + " " + QUORUM,
                    "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER.toMillis(),
                    "sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT.toMillis(),
                    "sentinel parallel-syncs " + MASTER_NAME + " 1"));
            for (int j = 0; j < SENTINELS; j++) {
                if (j != i) {
                    config.add("sentinel known-sentinel " + MASTER_NAME + " " + LoopbackPorts.HOST + " " + ports.get(j) + " " + ids.get(j));
                }
            }
            Path dir;
            try {
                dir = Files.createTempDirectory("tasque-sentinel-");
                ExitCleanup.register(dir);
                sentinelDirs.add(dir);
                Files.writeString(dir.resolve(CONFIG_FILE), String.join("\n", config) + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a sentinel config file in " + System.getProperty("java.io.tmpdir"), e);
            }
            sentinels.add(builder().port(ports.get(i)).dataDir(dir).sentinel(dir.resolve(CONFIG_FILE)).start());
        }
    }

    /** A server builder, for TLS only with TLS on every outgoing link too when the deployment is a TLS one. */
    private RedisServer.Builder builder() {
        RedisServer.Builder b = RedisServer.builder();
        if (tls != null) {
            b.tls(tls).arg("tls-replication", "yes");
        }
        return b;
    }

    /** A sentinel's run id: 40 hex digits. */
    private static String sentinelId() {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        StringBuilder b = new StringBuilder(40);
        for (byte x : bytes) {
            b.append(String.format("%02x", x));
        }
        return b.toString();
    }

    /**
     * {@code redis-sentinel://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3/mymaster}; {@code rediss-sentinel://…} for a TLS
     * deployment (add the CA, as {@code ?cacert=}, to connect).
     */
    public String uri() {
        StringBuilder b = new StringBuilder(tls == null ? "redis-sentinel://" : "rediss-sentinel://");
        for (int i = 0; i < sentinels.size(); i++) {
            b.append(i == 0 ? "" : ",").append(sentinels.get(i).host()).append(':').append(sentinels.get(i).port());
        }
        return b.append('/').append(MASTER_NAME).toString();
    }

    /** The certificates of a TLS deployment, or null for a plain-text one. */
    public TlsCertificates tls() {
        return tls;
    }

    /** The sentinels, each a {@link RedisServer} in Sentinel mode. */
    public List<RedisServer> sentinels() {
        return List.copyOf(sentinels);
    }

    /** The master as started, then its replicas; which is master now is {@link #master()}. */
    public List<RedisServer> dataServers() {
        return List.copyOf(dataServers);
    }

    /** The data server the first answering sentinel names as master now. */
    public RedisServer master() {
        for (RedisServer sentinel : sentinels) {
            if (sentinel.isRunning()) {
                return dataServerOnPort(masterPort(sentinel));
            }
        }
        throw new IllegalStateException("no sentinel is running to say which server is the master");
    }

    /** SIGKILLs the current master and returns it. */
    public RedisServer killMaster() {
        RedisServer master = master();
        master.kill();
        return master;
    }

    /**
     * Asks a sentinel for a failover while the master runs ({@code SENTINEL FAILOVER}): a replica is promoted and
     * the old master, which stays up, becomes a replica some seconds later. Returns the old master.
     */
    public RedisServer failover() {
        RedisServer master = master();
        RedisServer sentinel = sentinels.stream().filter(RedisServer::isRunning).findFirst()
                .orElseThrow(() -> new IllegalStateException("no sentinel is running to start a failover"));
        // refused (NOGOODSLAVE) while the sentinel has not yet seen a replica it could promote: ask again
        await("sentinel " + sentinel.uri() + " to start a failover", READY_TIMEOUT,
                () -> "OK".equals(sentinel.command("SENTINEL", "FAILOVER", MASTER_NAME)),
                () -> sentinel.command("SENTINEL", "REPLICAS", MASTER_NAME).replace('\n', ' '));
        return master;
    }

    /**
     * Waits until every running sentinel names a master other than {@code old}, and that server says it is a
     * master; returns it.
     *
     * @throws IllegalStateException after {@code atMost}, with what each sentinel says
     */
    public RedisServer awaitPromotion(RedisServer old, Duration atMost) {
        RedisServer[] promoted = new RedisServer[1];
        await("a master other than " + old.uri(), atMost, () -> {
            Integer port = null;
            for (RedisServer sentinel : sentinels) {
                if (!sentinel.isRunning()) {
                    continue;
                }
                int p = masterPort(sentinel);
                if (p == old.port() || (port != null && port != p)) {
                    return false;
                }
                port = p;
            }
            RedisServer candidate = port == null ? null : dataServerOnPort(port);
            if (candidate == null || !candidate.command("INFO", "replication").contains("role:master")) {
                return false;
            }
            promoted[0] = candidate;
            return true;
        }, () -> {
            List<String> said = new ArrayList<>();
            for (RedisServer sentinel : sentinels) {
                said.add(sentinel.uri() + " names port " + (sentinel.isRunning() ? masterPort(sentinel) : "(not running)"));
            }
            return String.join(", ", said);
        });
        LOG.info("sentinels promoted {} in place of {}", promoted[0].uri(), old.uri());
        return promoted[0];
    }

    /** Kills every process and deletes the sentinels' directories; idempotent. */
    @Override
    public void close() {
        closeSentinels();
        for (RedisServer s : dataServers) {
            s.close();
        }
    }

    private void closeSentinels() {
        for (RedisServer s : sentinels) {
            s.close();
        }
        sentinels.clear();
        for (Path dir : sentinelDirs) {
            try {
                Directories.deleteRecursively(dir);
                ExitCleanup.forget(dir);
            } catch (IOException e) {
                LOG.warn("could not delete sentinel dir {}: {}", dir, e.toString());
            }
        }
        sentinelDirs.clear();
    }

    private static int masterPort(RedisServer sentinel) {
        String reply = sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
        return Integer.parseInt(reply.substring(reply.indexOf('\n') + 1));
    }

    private RedisServer dataServerOnPort(int port) {
        for (RedisServer s : dataServers) {
            if (s.port() == port) {
                return s;
            }
        }
        throw new IllegalStateException("the sentinels name port " + port + ", which is none of this deployment's servers");
    }

    /** {@code SENTINEL MASTER mymaster} as field → value. */
    private static Map<String, String> masterState(RedisServer sentinel) {
        String[] lines = sentinel.command("SENTINEL", "MASTER", MASTER_NAME).split("\n", -1);
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < lines.length; i += 2) {
            out.put(lines[i], lines[i + 1]);
        }
        return out;
    }

    /**
     * The replicas a sentinel could promote: it has connected to them and read their INFO (flags exactly "slave",
     * no "disconnected" or "s_down"), and their link to the master is up. Until then a failover is refused with
     * NOGOODSLAVE.
     */
    private static int healthyReplicas(RedisServer sentinel) {
        // one flat list of field, value pairs, replica after replica, each beginning with its "name"
        String[] f = sentinel.command("SENTINEL", "REPLICAS", MASTER_NAME).split("\n", -1);
        int healthy = 0;
        boolean flagsOk = false;
        for (int i = 0; i + 1 < f.length; i += 2) {
            if (f[i].equals("flags")) {
                flagsOk = f[i + 1].equals("slave");
            } else if (f[i].equals("master-link-status") && f[i + 1].equals("ok") && flagsOk) {
                healthy++;
            }
        }
        return healthy;
    }

    private static void await(String what, Duration atMost, BooleanSupplier done, Supplier<String> state) {
        long deadline = System.nanoTime() + atMost.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (done.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e; // a server between states may refuse or drop a probe; try again until the deadline
            }
            if (System.nanoTime() - deadline > 0) {
                String now;
                try {
                    now = state.get();
                } catch (RuntimeException e) {
                    now = "unknown (" + e.getMessage() + ")";
                }
                IllegalStateException timeout = new IllegalStateException("waited " + atMost.toMillis() + " ms for "
                        + what + " in vain; now: " + now);
                if (last != null) {
                    timeout.addSuppressed(last);
                }
                throw timeout;
            }
            Processes.pause(POLL);
        }
    }
}
