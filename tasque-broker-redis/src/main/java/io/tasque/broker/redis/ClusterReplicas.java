package io.tasque.broker.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The replicas of a Redis Cluster's masters, for {@link ReplicaReads}: learnt from {@code CLUSTER SLOTS} on the first
 * master that answers (a replica the cluster has flagged as failed is not listed there), and reached on the
 * cluster's own per-node connection pools. A cluster replica redirects every keyed command to its master unless
 * the connection has said {@code READONLY}, so each read says it first.
 */
final class ClusterReplicas extends ReplicaReads {

    private final ClusterSlots cluster;

    ClusterReplicas(String broker, ClusterSlots cluster) {
        super(broker);
        this.cluster = cluster;
    }

    @Override
    List<Shard> learnShards() {
        JedisException last = new JedisConnectionException("no master of the cluster is known yet");
        for (ConnectionPool master : cluster.masters()) {
            try (Jedis jedis = new Jedis(master.getResource())) {
                return shards(jedis.clusterSlots());
            } catch (JedisException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * {@code CLUSTER SLOTS}, one entry per slot range: {@code [from, to, [master host, port, id, …], [replica host,
     * port, id, …], …]}, grouped into one shard per master. A node without a known address (an empty host) is left out.
     */
    static List<Shard> shards(List<Object> slotsReply) {
        Map<String, List<int[]>> ranges = new LinkedHashMap<>();
        Map<String, List<HostAndPort>> replicas = new LinkedHashMap<>();
        for (Object o : slotsReply) {
            List<?> entry = (List<?>) o;
            HostAndPort master = node(entry.get(2));
            String key = master == null ? "?" + ranges.size() : master.toString();
            ranges.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(new int[] {((Long) entry.get(0)).intValue(), ((Long) entry.get(1)).intValue()});
            List<HostAndPort> of = replicas.computeIfAbsent(key, k -> new ArrayList<>());
            for (Object r : entry.subList(3, entry.size())) {
                HostAndPort replica = node(r);
                if (replica != null && !of.contains(replica)) {
                    of.add(replica);
                }
            }
        }
        List<Shard> out = new ArrayList<>();
        for (Map.Entry<String, List<int[]>> e : ranges.entrySet()) {
            out.add(new Shard(List.copyOf(e.getValue()), List.copyOf(replicas.get(e.getKey()))));
        }
        return out;
    }

    private static HostAndPort node(Object description) {
        List<?> d = (List<?>) description;
        String host = new String((byte[]) d.get(0), StandardCharsets.UTF_8);
        int port = ((Long) d.get(1)).intValue();
        return host.isEmpty() || host.equals("?") || port <= 0 ? null : new HostAndPort(host, port);
    }

    @Override
    Jedis connect(HostAndPort replica) {
        Jedis jedis = cluster.node(replica);
        try {
            jedis.readonly();
            return jedis;
        } catch (RuntimeException e) {
            jedis.close();
            throw e;
        }
    }
}
