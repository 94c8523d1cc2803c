package io.tasque.bench;

import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisCluster;
import io.tasque.testkit.RedisServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One setup of the cluster scaling mode: a private plain redis-server, or a private Redis Cluster of M masters
 * without replicas, and into how many partitions the benchmark's queue is split there. On a cluster the partitions
 * are chosen so that every master holds the same number of them: partition p of queue q is stored under the hash
 * tag {@code {q#p}} (partition 0 under {@code {q}}), and where each lands is asked of the running cluster
 * ({@code CLUSTER KEYSLOT}, {@code CLUSTER NODES}). Emptying it between phases (FLUSHALL on every master) also
 * deletes the stored partition count, so {@link #flush} sets it again.
 */
final class ScalingTarget implements AutoCloseable {

    /** The most partitions tried when looking for an even spread over the masters. */
    static final int MAX_PARTITIONS = 64;

    private final String label;
    private final RedisServer server;
    private final RedisCluster cluster;
    private final String queue;
    private final int partitions;
    private final List<Integer> perMaster;

    private ScalingTarget(String label, RedisServer server, RedisCluster cluster, String queue, int partitions,
                          List<Integer> perMaster) {
        this.label = label;
        this.server = server;
        this.cluster = cluster;
        this.queue = queue;
        this.partitions = partitions;
        this.perMaster = perMaster;
    }

    /** A private plain redis-server ({@code redis://}), the queue not split. */
    static ScalingTarget single(String queue) {
        return new ScalingTarget("single redis-server", RedisServer.start(), null, queue, 1, List.of(1));
    }

    /**
     * A private cluster of {@code masters} masters without replicas, the queue split into the fewest partitions (at
     * least {@code masters}) that every master holds the same number of; with {@code partitions} above 0, into that
     * many, however they land.
     *
     * @throws IllegalStateException if no K up to {@link #MAX_PARTITIONS} spreads the queue evenly
     */
    static ScalingTarget cluster(int masters, String queue, int partitions) {
        RedisCluster cluster = RedisCluster.start(masters, 0);
        try {
            int k = partitions > 0 ? partitions : evenSpread(cluster, queue);
            return new ScalingTarget("redis cluster", null, cluster, queue, k, spread(cluster, queue, k));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The smallest K >= masters whose partitions 0..K-1 every master holds equally many of. */
    private static int evenSpread(RedisCluster cluster, String queue) {
        int masters = cluster.masters().size();
        for (int k = masters; k <= MAX_PARTITIONS; k++) {
            List<Integer> counts = spread(cluster, queue, k);
            if (counts.stream().allMatch(c -> c.equals(counts.get(0)))) {
                return k;
            }
        }
        throw new IllegalStateException("no split of queue '" + queue + "' into " + masters + " to " + MAX_PARTITIONS
                + " partitions puts the same number on each of the " + masters + " masters; pick another queue name");
    }

    /** How many of partitions 0..k-1 each master (in slot order) holds, as the running cluster places them. */
    private static List<Integer> spread(RedisCluster cluster, String queue, int k) {
        Map<Integer, Integer> byPort = new LinkedHashMap<>();
        for (RedisServer m : cluster.masters()) {
            byPort.put(m.port(), 0);
        }
        for (int p = 0; p < k; p++) {
            int slot = cluster.slotOf("{" + storedName(queue, p) + "}");
            byPort.merge(cluster.masterOf(slot).port(), 1, Integer::sum);
        }
        return List.copyOf(byPort.values());
    }

    /** The name partition {@code p} of {@code queue} is stored under, its hash tag: the queue itself for 0. */
    static String storedName(String queue, int p) {
        return p == 0 ? queue : queue + "#" + p;
    }

    /** {@code "single redis-server"} or {@code "redis cluster"}. */
    String label() {
        return label;
    }

    /** True for a Redis Cluster, false for the plain server. */
    boolean isCluster() {
        return cluster != null;
    }

    String uri() {
        return cluster != null ? cluster.uri() : server.uri();
    }

    /** Masters: 1 for the plain server. */
    int masters() {
        return perMaster.size();
    }

    int partitions() {
        return partitions;
    }

    /** Where the partitions are: {@code "p0→m2 p1→m1 p2→m3"} (masters numbered in slot order from 1), or "-". */
    String placement() {
        if (cluster == null) {
            return "-";
        }
        List<Integer> ports = new ArrayList<>();
        for (RedisServer m : cluster.masters()) {
            ports.add(m.port());
        }
        StringJoiner out = new StringJoiner(" ");
        for (int p = 0; p < partitions; p++) {
            int slot = cluster.slotOf("{" + storedName(queue, p) + "}");
            out.add("p" + p + "(slot " + slot + ")→m" + (ports.indexOf(cluster.masterOf(slot).port()) + 1));
        }
        return out.toString();
    }

    /** Partitions per master, in slot order. */
    List<Integer> perMaster() {
        return perMaster;
    }

    /** The pids of the redis-servers that hold the data: every master (there are no replicas). */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (RedisServer s : servers()) {
            pids.add(s.pid());
        }
        return pids;
    }

    /** {@code redis_version} of the first server, or "?". */
    String redisVersion() {
        String info = servers().get(0).command("INFO", "server");
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).trim();
            }
        }
        return "?";
    }

    /** Empties every master and sets the partition count again (FLUSHALL deleted it). */
    void flush(TasqueClient client) {
        for (RedisServer s : servers()) {
            s.flushAll();
        }
        if (cluster != null) {
            client.admin().partitions(queue, partitions);
        }
    }

    /**
     * Calls made so far on all the servers: commands as clients sent them ({@code total_commands_processed},
     * every command of a MULTI counted) and Lua script calls ({@code EVALSHA} and {@code EVAL}; a reserve, an
     * ack or a retry is one).
     */
    long[] callCounts() {
        long commands = 0;
        long scripts = 0;
        for (RedisServer s : servers()) {
            commands += field(s.command("INFO", "stats"), "total_commands_processed");
            String stats = s.command("INFO", "commandstats");
            scripts += calls(stats, "cmdstat_evalsha") + calls(stats, "cmdstat_eval");
        }
        return new long[] {commands, scripts};
    }

    private List<RedisServer> servers() {
        return cluster != null ? cluster.masters() : List.of(server);
    }

    private static long field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }

    private static long calls(String commandstats, String command) {
        for (String line : commandstats.split("\r?\n")) {
            if (line.startsWith(command + ":")) {
                int start = line.indexOf("calls=") + "calls=".length();
                int end = line.indexOf(',', start);
                return Long.parseLong(line.substring(start, end < 0 ? line.length() : end));
            }
        }
        return 0;
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        } else {
            server.close();
        }
    }
}
