package io.tasque.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster for tests: three masters, each with one replica (or more, {@link #start(int)}), all
 * {@link RedisServer}s from the same
 * binary on free loopback ports, joined and given their slots with plain cluster commands ({@code CLUSTER
 * ADDSLOTSRANGE}, {@code MEET}, {@code REPLICATE}), so no {@code redis-cli} is needed. A short node timeout makes a
 * killed master's replica take over within a few seconds. {@link #start(int, int)} starts another number of masters,
 * with or without replicas (the benchmark measures how one queue scales over 1, 2 and 3 masters).
 */
public final class RedisCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisCluster.class);

    /** Masters {@link #start()} starts; each gets a third of the slots and one replica. */
    public static final int MASTERS = 3;
    /** Most masters {@link #start(int, int)} starts: enough for a test or a benchmark on one machine. */
    public static final int MAX_MASTERS = 16;
    /** Slots of a Redis Cluster. */
    public static final int SLOTS = 16384;
    /** How long a node may be unreachable before the others call it failed (cluster-node-timeout). */
    public static final Duration NODE_TIMEOUT = Duration.ofMillis(1000);
    /** How long forming the cluster or a failover may take before the testkit gives up. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private final List<RedisServer> nodes;
    private final int masters;
    /** The certificates every node serves TLS with, or null for plain text. */
    private final TlsCertificates tls;

    private RedisCluster(List<RedisServer> nodes, int masters, TlsCertificates tls) {
        this.nodes = nodes;
        this.masters = masters;
        this.tls = tls;
    }

    /** Starts six nodes, forms the cluster and waits until every node reports {@code cluster_state:ok}. */
    public static RedisCluster start() {
        return start(MASTERS, 1);
    }

    /**
     * Starts {@value #MASTERS} masters with {@code replicasPerMaster} replicas each. With two, a killed master's shard
     * still has a replica after the promotion, so writes that wait for one ({@code WAIT 1}) go on without restarting
     * the killed node.
     *
     * @throws IllegalArgumentException if {@code replicasPerMaster} is below 1 (a replica takes over a killed master)
     */
    public static RedisCluster start(int replicasPerMaster) {
        if (replicasPerMaster < 1) {
            throw new IllegalArgumentException("replicasPerMaster must be >= 1 (a replica takes over a killed master), was "
                    + replicasPerMaster);
        }
        return start(MASTERS, replicasPerMaster, null);
    }

    /**
     * Starts {@code masters} masters, each with {@code replicasEach} replicas, gives master m the slots
     * {@code m * 16384 / masters} up to the next one's first, forms the cluster and waits until every node reports
     * {@code cluster_state:ok} (and every replica is in sync).
     *
     * @throws IllegalArgumentException if {@code masters} is not between 1 and {@value #MAX_MASTERS} or
     *                                  {@code replicasEach} is not between 0 and 2
     */
    public static RedisCluster start(int masters, int replicasEach) {
        return start(masters, replicasEach, null);
    }

    /**
     * Like {@link #start()}, with every node serving TLS only ({@link RedisServer.Builder#tls}), and TLS on the
     * cluster bus ({@code tls-cluster yes}) and between master and replica ({@code tls-replication yes}), so that
     * {@code CLUSTER SLOTS} names the TLS ports. {@link #uri()} is then {@code rediss-cluster://…}. Check
     * {@link RedisBinary#supportsTls(java.nio.file.Path)} first.
     */
    public static RedisCluster startTls(TlsCertificates certificates) {
        return start(MASTERS, 1, java.util.Objects.requireNonNull(certificates, "certificates must not be null; use start() for plain text"));
    }

    private static RedisCluster start(int masters, int replicasEach, TlsCertificates tls) {
        if (masters < 1 || masters > MAX_MASTERS) {
            throw new IllegalArgumentException("masters must be between 1 and " + MAX_MASTERS + ", was " + masters);
        }
        if (replicasEach < 0 || replicasEach > 2) {
            throw new IllegalArgumentException("replicasEach must be between 0 and 2, was " + replicasEach);
        }
        List<RedisServer> nodes = new ArrayList<>();
        RedisCluster cluster = new RedisCluster(nodes, masters, tls);
        try {
            for (int i = 0; i < masters * (1 + replicasEach); i++) {
                RedisServer.Builder node = RedisServer.builder()
                        .arg("cluster-enabled", "yes")
                        .arg("cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()))
                        // a node learns its own address only when another one meets it: a one-node cluster would
                        // name itself ":port" in CLUSTER NODES and CLUSTER SLOTS
                        .arg("cluster-announce-ip", LoopbackPorts.HOST)
                        // a replica takes over however long it was cut off from its master
                        .arg("cluster-replica-validity-factor", "0");
                if (tls != null) {
                    node.tls(tls).arg("tls-cluster", "yes").arg("tls-replication", "yes");
                }
                nodes.add(node.start());
            }
            cluster.form();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        LOG.info("redis cluster up: {}", cluster.uri());
        return cluster;
    }

    private void form() {
        RedisServer first = nodes.get(0);
        for (int m = 0; m < masters; m++) {
            int from = m * SLOTS / masters;
            int to = (m + 1) * SLOTS / masters - 1;
            nodes.get(m).command("CLUSTER", "ADDSLOTSRANGE", Integer.toString(from), Integer.toString(to));
        }
        for (RedisServer node : nodes.subList(1, nodes.size())) {
            first.command("CLUSTER", "MEET", node.host(), Integer.toString(node.port()));
        }
        await("every node to know all " + nodes.size() + " nodes", () -> {
            for (RedisServer node : nodes) {
                if (node.command("CLUSTER", "NODES").strip().split("\n").length != nodes.size()) {
                    return false;
                }
            }
            return true;
        });
        // node masters * k + m (k >= 1) replicates master m
        for (int r = masters; r < nodes.size(); r++) {
            String masterId = nodes.get(r % masters).command("CLUSTER", "MYID");
            nodes.get(r).command("CLUSTER", "REPLICATE", masterId);
        }
        await("cluster_state:ok and every replica in sync", () -> {
            for (RedisServer node : nodes) {
                if (!node.command("CLUSTER", "INFO").contains("cluster_state:ok")) {
                    return false;
                }
            }
            for (RedisServer replica : nodes.subList(masters, nodes.size())) {
                if (!replica.command("INFO", "replication").contains("master_link_status:up")) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,…} naming every node as a seed; {@code rediss-cluster://…}
     * for a TLS cluster (add the CA, as {@code ?cacert=}, to connect).
     */
    public String uri() {
        StringJoiner seeds = new StringJoiner(",", tls == null ? "redis-cluster://" : "rediss-cluster://", "");
        for (RedisServer node : nodes) {
            seeds.add(node.host() + ":" + node.port());
        }
        return seeds.toString();
    }

    /** The certificates of a TLS cluster, or null for a plain-text one. */
    public TlsCertificates tls() {
        return tls;
    }

    /** Every node, masters first as started (a failover swaps roles; see {@link #masterOf(int)}). */
    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** The slot of {@code key}, as the cluster computes it ({@code CLUSTER KEYSLOT}). */
    public int slotOf(String key) {
        return Integer.parseInt(anyRunning().command("CLUSTER", "KEYSLOT", key));
    }

    /** The node that serves {@code slot} now, as a running node's {@code CLUSTER NODES} says. */
    public RedisServer masterOf(int slot) {
        String address = ownerAddress(anyRunning(), slot);
        for (RedisServer node : nodes) {
            if ((node.host() + ":" + node.port()).equals(address)) {
                return node;
            }
        }
        throw new IllegalStateException("slot " + slot + " is served by " + address + ", which is not a node of " + uri());
    }

    /**
     * Kills the master of {@code slot} with SIGKILL and waits until its replica has taken the slot over and every
     * running node reports {@code cluster_state:ok} again.
     *
     * @return the killed node
     */
    public RedisServer killMasterOf(int slot) {
        RedisServer master = masterOf(slot);
        String old = master.host() + ":" + master.port();
        master.kill();
        LOG.info("killed master {} of slot {}; waiting for its replica to take over", old, slot);
        awaitFailover(slot, old);
        return master;
    }

    /**
     * Has a replica of the master of {@code slot} take over with {@code CLUSTER FAILOVER} (the master agrees and
     * becomes its replica; no write is lost) and waits until it serves the slot. A client that still sends the
     * slot's commands to the old master is answered {@code MOVED}.
     *
     * @return the new master
     */
    public RedisServer failOver(int slot) {
        RedisServer master = masterOf(slot);
        String old = master.host() + ":" + master.port();
        String masterId = master.command("CLUSTER", "MYID");
        for (RedisServer node : nodes) {
            if (node.isRunning() && node != master && node.command("CLUSTER", "NODES").lines()
                    .anyMatch(l -> l.startsWith(node.command("CLUSTER", "MYID") + " ") && l.contains(" " + masterId + " "))) {
                node.command("CLUSTER", "FAILOVER");
                awaitFailover(slot, old);
                await(old + " to become a replica in sync", () -> master.command("ROLE").startsWith("slave")
                        && master.command("INFO", "replication").contains("master_link_status:up"));
                return masterOf(slot);
            }
        }
        throw new IllegalStateException("the master " + old + " of slot " + slot + " has no running replica");
    }

    /**
     * Starts a killed node again on its port and data dir (its {@code nodes.conf} there says which cluster it is
     * in): it learns it was failed over and rejoins as a replica of the master that took its place. Waits until it
     * replicates.
     */
    public void rejoin(RedisServer node) {
        if (!nodes.contains(node)) {
            throw new IllegalArgumentException(node + " is not a node of " + uri());
        }
        node.restart();
        await(node + " to rejoin as a replica in sync", () -> node.command("ROLE").startsWith("slave")
                && node.command("INFO", "replication").contains("master_link_status:up")
                && node.command("CLUSTER", "INFO").contains("cluster_state:ok"));
        LOG.info("{} rejoined {} as a replica", node, uri());
    }

    /** Empties every running master ({@code FLUSHALL}; the replicas follow). */
    public void flushMasters() {
        for (RedisServer master : masters()) {
            master.flushAll();
        }
    }

    /** The running nodes that are masters now, in the order they were started (so in slot order until a failover swaps roles). */
    public List<RedisServer> masters() {
        List<RedisServer> masters = new ArrayList<>();
        for (RedisServer node : nodes) {
            if (node.isRunning() && node.command("ROLE").startsWith("master")) {
                masters.add(node);
            }
        }
        return masters;
    }

    /** A running master that does not serve {@code slot} now: where a test can move the slot to. */
    public RedisServer anotherMasterThanThatOf(int slot) {
        RedisServer owner = masterOf(slot);
        for (RedisServer master : masters()) {
            if (master != owner) {
                return master;
            }
        }
        throw new IllegalStateException("no running master other than " + owner + " to move slot " + slot + " to");
    }

    /**
     * Starts moving {@code slot} from its master to {@code target}, a master too, as {@code redis-cli --cluster
     * reshard} does (see {@link SlotMove}); the test moves the keys and finishes the move itself.
     */
    public SlotMove beginSlotMove(int slot, RedisServer target) {
        if (!nodes.contains(target)) {
            throw new IllegalArgumentException(target + " is not a node of " + uri());
        }
        if (!target.command("ROLE").startsWith("master")) {
            throw new IllegalArgumentException("slot " + slot + " can only move to a master, and " + target + " is a replica");
        }
        SlotMove move = new SlotMove(this, slot, masterOf(slot), target);
        LOG.info("moving {}", move);
        return move;
    }

    /**
     * Moves {@code slot} with its keys from its master to {@code target} while the cluster serves traffic: {@code
     * batch} keys per {@code MIGRATE}, {@code pause} after each (a longer pause keeps the slot half moved longer).
     * Returns once every running node says {@code target} serves the slot.
     *
     * @return how many keys moved
     */
    public int moveSlot(int slot, RedisServer target, int batch, Duration pause) {
        SlotMove move = beginSlotMove(slot, target);
        move.migrateAll(batch, pause);
        move.finish();
        LOG.info("moved {}", move);
        return move.moved();
    }

    /** Waits until every running node says {@code owner} serves {@code slot} and reports {@code cluster_state:ok}. */
    void awaitOwner(int slot, RedisServer owner) {
        String address = owner.host() + ":" + owner.port();
        await("slot " + slot + " to be served by " + address + " in every running node's view, and cluster_state:ok", () -> {
            for (RedisServer node : nodes) {
                if (node.isRunning() && (!address.equals(ownerAddress(node, slot))
                        || !node.command("CLUSTER", "INFO").contains("cluster_state:ok"))) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Waits until a node other than {@code oldMaster} (host:port) serves {@code slot} and the cluster is ok. */
    public void awaitFailover(int slot, String oldMaster) {
        await("slot " + slot + " to move away from " + oldMaster + " and cluster_state:ok on every running node", () -> {
            for (RedisServer node : nodes) {
                if (node.isRunning()) {
                    String owner = ownerAddress(node, slot);
                    if (owner == null || owner.equals(oldMaster) || !node.command("CLUSTER", "INFO").contains("cluster_state:ok")) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    /** True if a CLUSTER NODES flags field marks the node failed ({@code fail} or {@code fail?}; not {@code nofailover}). */
    private static boolean failed(String flags) {
        for (String flag : flags.split(",")) {
            if (flag.equals("fail") || flag.equals("fail?")) {
                return true;
            }
        }
        return false;
    }

    /** The host:port of the master flagged as serving {@code slot} in {@code node}'s view, or null if none. */
    private static String ownerAddress(RedisServer node, int slot) {
        for (String line : node.command("CLUSTER", "NODES").strip().split("\n")) {
            String[] f = line.split(" ");
            if (f.length < 9 || !f[2].contains("master") || failed(f[2])) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue; // a slot being migrated or imported
                }
                String[] range = f[i].split("-");
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    String address = f[1];
                    int at = address.indexOf('@');
                    return at < 0 ? address : address.substring(0, at);
                }
            }
        }
        return null;
    }

    private RedisServer anyRunning() {
        for (RedisServer node : nodes) {
            if (node.isRunning()) {
                return node;
            }
        }
        throw new IllegalStateException("no node of " + uri() + " is running");
    }

    private static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.get()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e; // a node still starting or just killed; try again until the deadline
            }
            Processes.pause(POLL_INTERVAL);
        }
        throw new IllegalStateException("redis cluster: gave up after " + SETTLE_TIMEOUT.toSeconds() + " s waiting for "
                + what, last);
    }

    /** Kills every node and deletes their data dirs; idempotent. */
    @Override
    public void close() {
        for (RedisServer node : nodes) {
            node.close();
        }
    }

    @Override
    public String toString() {
        return uri();
    }
}
