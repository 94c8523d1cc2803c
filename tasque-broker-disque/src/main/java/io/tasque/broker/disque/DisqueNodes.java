package io.tasque.broker.disque;

import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerUri;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Knows the Disque cluster: asks a seed from the URI for every node (HELLO), picks the node this broker talks
 * to at random among the healthiest (so many processes spread over the cluster), fails over to another node
 * when it stops answering, and asks HELLO again every refresh interval. Keeps one connection pool per node.
 * Starts no threads: discovery and refresh run on the calling thread.
 */
final class DisqueNodes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DisqueNodes.class);

    /** How long a node that failed is passed over when another node is chosen. */
    static final Duration DOWN_FOR = Duration.ofSeconds(30);

    private final String broker;
    private final List<DisqueNode> seeds;
    private final JedisClientConfig config;
    private final JedisPoolConfig poolConfig;
    private final long refreshNanos;
    private final Map<String, JedisPool> pools = new ConcurrentHashMap<>();
    private final Map<String, Long> downUntil = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Object lock = new Object();
    private volatile List<DisqueNode> known = List.of();
    private volatile DisqueNode current;
    private volatile long refreshAt;

    DisqueNodes(String broker, List<BrokerUri.Node> seeds, JedisClientConfig config, int poolSize, Duration maxWait,
                Duration refresh) {
        this.broker = broker;
        List<DisqueNode> s = new ArrayList<>(seeds.size());
        for (BrokerUri.Node n : seeds) {
            s.add(new DisqueNode("", n.host(), n.port(), DisqueNode.HEALTHY));
        }
        this.seeds = List.copyOf(s);
        this.config = config;
        this.poolConfig = new JedisPoolConfig();
        poolConfig.setMaxTotal(poolSize);
        poolConfig.setMaxIdle(poolSize);
        poolConfig.setMinIdle(0);
        poolConfig.setMaxWait(maxWait);
        poolConfig.setTestOnBorrow(false);
        poolConfig.setJmxEnabled(false);
        this.refreshNanos = refresh.toNanos();
    }

    /** The node this broker talks to. Asks the cluster for its nodes on first use and when a refresh is due. */
    DisqueNode current() {
        DisqueNode c = current;
        if (c == null) {
            synchronized (lock) {
                if (current == null) {
                    discover();
                }
                return current;
            }
        }
        if (System.nanoTime() - refreshAt >= 0 && refreshing.compareAndSet(false, true)) {
            try {
                refresh(c);
            } finally {
                refreshing.set(false);
            }
        }
        return current;
    }

    /** How many nodes the cluster has, failing ones included (as Disque counts them); asks HELLO on first use. */
    int size() {
        current();
        return Math.max(1, known.size());
    }

    /** Every known node that has not failed or left, for commands that must see all of the cluster. */
    List<DisqueNode> all() {
        DisqueNode c = current();
        List<DisqueNode> out = new ArrayList<>();
        out.add(c);
        for (DisqueNode n : known) {
            if (n.priority() < DisqueNode.GONE && !n.addressKey().equals(c.addressKey()) && !isDown(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * Runs {@code body} on a pooled connection to the current node. When no connection can be opened the node
     * is marked down and the call moves to another node (nothing was sent yet); when the node fails during the
     * call it is marked down, later calls go elsewhere, and this one throws.
     *
     * @throws BrokerException naming the broker, the node and the failure
     */
    <T> T call(String what, Function<Jedis, T> body) {
        return callSaying(what, (node, jedis) -> body.apply(jedis));
    }

    /** {@link #call(String, Function)}, telling {@code body} which node it runs on. */
    <T> T callSaying(String what, BiFunction<DisqueNode, Jedis, T> body) {
        int tries = Math.max(known.size(), seeds.size()) + 1;
        for (int i = 1; ; i++) {
            DisqueNode node = current();
            Jedis jedis;
            try {
                jedis = pool(node).getResource();
            } catch (JedisConnectionException e) {
                failed(node, e);
                DisqueNode next = current;
                if (i >= tries || next == null || next.addressKey().equals(node.addressKey())) {
                    throw new BrokerException(broker, what + " failed: no Disque node could be reached (last tried "
                            + node + ": " + DisqueErrors.explain(e) + ")", e);
                }
                continue;
            } catch (JedisException e) {
                throw new BrokerException(broker, what + " failed on " + node + ": " + DisqueErrors.explain(e), e);
            }
            return run(node, jedis, what, j -> body.apply(node, j));
        }
    }

    /** Runs {@code body} on a pooled connection to {@code node}, without moving to another node. */
    <T> T callOn(DisqueNode node, String what, Function<Jedis, T> body) {
        Jedis jedis;
        try {
            jedis = pool(node).getResource();
        } catch (JedisConnectionException e) {
            failed(node, e);
            throw new BrokerException(broker, what + " failed on " + node + ": " + DisqueErrors.explain(e), e);
        } catch (JedisException e) {
            throw new BrokerException(broker, what + " failed on " + node + ": " + DisqueErrors.explain(e), e);
        }
        return run(node, jedis, what, body);
    }

    private <T> T run(DisqueNode node, Jedis jedis, String what, Function<Jedis, T> body) {
        try (jedis) {
            T result = body.apply(jedis);
            answered(node);
            return result;
        } catch (JedisConnectionException e) {
            failed(node, e);
            throw new BrokerException(broker, what + " failed on " + node + ": " + DisqueErrors.explain(e), e);
        } catch (JedisDataException e) {
            if (DisqueErrors.leaving(e)) {
                failed(node, e);
            }
            throw new BrokerException(broker, what + " failed on " + node + ": " + DisqueErrors.explain(e), e);
        } catch (JedisException e) {
            throw new BrokerException(broker, what + " failed on " + node + ": " + DisqueErrors.explain(e), e);
        }
    }

    /** Marks {@code node} down for a while and, if it is the current node, switches to another one. */
    void failed(DisqueNode node, RuntimeException cause) {
        synchronized (lock) {
            boolean wasUp = !isDown(node);
            downUntil.put(node.addressKey(), System.nanoTime() + DOWN_FOR.toNanos());
            DisqueNode c = current;
            if (c == null || !c.addressKey().equals(node.addressKey())) {
                return;
            }
            DisqueNode next = choose(node);
            if (next != null) {
                current = next;
                log.warn("{}: Disque node {} failed ({}); switched to {}", broker, node, firstLine(cause), next);
            } else if (wasUp) {
                log.warn("{}: Disque node {} failed ({}) and no other node is known; retrying it", broker, node, firstLine(cause));
            }
        }
    }

    private void answered(DisqueNode node) {
        if (downUntil.remove(node.addressKey()) != null) {
            log.info("{}: Disque node {} answers again", broker, node);
        }
    }

    private void discover() {
        List<DisqueNode> candidates = new ArrayList<>();
        for (DisqueNode n : known) {
            if (n.priority() < DisqueNode.GONE) {
                candidates.add(n);
            }
        }
        List<DisqueNode> shuffledSeeds = new ArrayList<>(seeds);
        Collections.shuffle(shuffledSeeds);
        candidates.addAll(shuffledSeeds);
        candidates.sort(Comparator.comparing(this::isDown));
        RuntimeException last = null;
        List<String> tried = new ArrayList<>();
        for (DisqueNode seed : distinct(candidates)) {
            tried.add(seed.addressKey());
            try (Jedis jedis = pool(seed).getResource()) {
                List<DisqueNode> nodes = Hello.parse(jedis.sendCommand(DisqueCommand.HELLO), seed);
                answered(seed);
                learn(nodes, null);
                return;
            } catch (JedisException | IllegalStateException e) {
                last = e;
                downUntil.put(seed.addressKey(), System.nanoTime() + DOWN_FOR.toNanos());
            }
        }
        throw new BrokerException(broker, "no Disque node answered HELLO (tried " + String.join(", ", tried) + "): "
                + (last instanceof JedisException je ? DisqueErrors.explain(je) : String.valueOf(last))
                + "; check that disque-server runs there and the URI lists at least one reachable node", last);
    }

    private void refresh(DisqueNode c) {
        try (Jedis jedis = pool(c).getResource()) {
            List<DisqueNode> nodes = Hello.parse(jedis.sendCommand(DisqueCommand.HELLO), c);
            synchronized (lock) {
                learn(nodes, c);
            }
        } catch (JedisException | IllegalStateException e) {
            refreshAt = System.nanoTime() + refreshNanos;
            failed(c, e);
        }
    }

    /** Takes a fresh node list and keeps the current node unless it is no longer among the healthiest. */
    private void learn(List<DisqueNode> nodes, DisqueNode keep) {
        boolean changed = !nodes.equals(known);
        known = List.copyOf(nodes);
        refreshAt = System.nanoTime() + refreshNanos;
        DisqueNode chosen = keep;
        if (keep != null) {
            int best = nodes.stream().filter(n -> !isDown(n)).mapToInt(DisqueNode::priority).min().orElse(keep.priority());
            DisqueNode seen = nodes.stream().filter(n -> n.addressKey().equals(keep.addressKey())).findFirst().orElse(null);
            if (seen == null || seen.priority() > best) {
                chosen = choose(keep);
            }
        } else {
            chosen = choose(null);
        }
        if (chosen == null) {
            chosen = keep != null ? keep : nodes.isEmpty() ? seeds.get(0) : nodes.get(0);
        }
        boolean switched = current == null || !chosen.addressKey().equals(current.addressKey());
        current = chosen;
        if (changed || switched) {
            log.info("{}: {} Disque node(s) known {}; using {}", broker, nodes.size(), nodes.stream()
                    .map(n -> n.addressKey() + (n.priority() == DisqueNode.HEALTHY ? "" : " (priority " + n.priority() + ")"))
                    .toList(), chosen);
        }
    }

    /** A node at random among the healthiest known ones that are not down, other than {@code not}; null if none. */
    private DisqueNode choose(DisqueNode not) {
        List<DisqueNode> pool = new ArrayList<>(known.isEmpty() ? seeds : known);
        pool.removeIf(n -> n.priority() >= DisqueNode.GONE || isDown(n)
                || (not != null && n.addressKey().equals(not.addressKey())));
        if (pool.isEmpty()) {
            return null;
        }
        int best = pool.stream().mapToInt(DisqueNode::priority).min().getAsInt();
        pool.removeIf(n -> n.priority() != best);
        return pool.get(ThreadLocalRandom.current().nextInt(pool.size()));
    }

    /** True unless {@code node} failed within the last {@link #DOWN_FOR}. */
    boolean up(DisqueNode node) {
        return !isDown(node);
    }

    private boolean isDown(DisqueNode n) {
        Long until = downUntil.get(n.addressKey());
        return until != null && System.nanoTime() - until < 0;
    }

    private JedisPool pool(DisqueNode node) {
        return pools.computeIfAbsent(node.addressKey(), k -> new JedisPool(poolConfig, node.address(), config));
    }

    private static List<DisqueNode> distinct(List<DisqueNode> nodes) {
        Map<String, DisqueNode> byAddress = new LinkedHashMap<>();
        for (DisqueNode n : nodes) {
            byAddress.putIfAbsent(n.addressKey(), n);
        }
        return new ArrayList<>(byAddress.values());
    }

    private static String firstLine(RuntimeException e) {
        String m = e instanceof JedisException je ? DisqueErrors.explain(je) : String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        for (JedisPool p : pools.values()) {
            try {
                p.close();
            } catch (RuntimeException ignored) {
                // closing is best effort; the connections die with the process anyway
            }
        }
        pools.clear();
    }
}
