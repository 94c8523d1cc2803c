package io.tasque.reliability;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The tests' own record of what handlers did, kept in the Redis under test beside (never inside) tasque's
 * keys, so it survives worker kills and can be read from any process. Worker processes write it from their
 * handlers through a plain Jedis client; tests read it to account for every job, and use its connections
 * for the few checks that read or poke tasque's own keys.
 *
 * <pre>
 * tasque-test:{ledger}:done    HASH  job id -&gt; completed runs (handler returned)
 * tasque-test:{ledger}:events  LIST  "start|done &lt;worker&gt; &lt;id&gt; &lt;attempt&gt;", in order (when journaling)
 * tasque-test:{ledger}:acked   HASH  worker -&gt; jobs that worker acked (lease still held)
 * tasque-test:{ledger}:buried  HASH  worker -&gt; jobs that worker dead-lettered
 * tasque-test:{ledger}:running HASH  worker -&gt; jobs that worker has in flight now
 * tasque-test:{ledger}:spans   LIST  "&lt;start ms&gt; &lt;end ms&gt; &lt;worker&gt; &lt;id&gt;" per finished run (when timing)
 * </pre>
 */
final class Ledger implements AutoCloseable {

    static final String DONE = "tasque-test:{ledger}:done";
    static final String EVENTS = "tasque-test:{ledger}:events";
    static final String ACKED = "tasque-test:{ledger}:acked";
    static final String BURIED = "tasque-test:{ledger}:buried";
    static final String RUNNING = "tasque-test:{ledger}:running";
    static final String SPANS = "tasque-test:{ledger}:spans";

    /** One line of the event list. */
    record Event(String kind, String worker, String id, int attempt) {
        static Event parse(String line) {
            String[] f = line.split(" ");
            return new Event(f[0], f[1], f[2], Integer.parseInt(f[3]));
        }
    }

    private final RedisClient redis;
    private final int connections;

    private Ledger(RedisClient redis, int connections) {
        this.redis = redis;
        this.connections = connections;
    }

    /** Opens a client with up to {@code connections} pooled connections to the Redis at {@code redisUri}. */
    static Ledger connect(String redisUri, int connections, Duration timeout) {
        URI uri = URI.create(redisUri);
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(connections);
        pool.setMaxIdle(connections);
        pool.setMaxWait(timeout);
        pool.setJmxEnabled(false);
        int ms = (int) timeout.toMillis();
        RedisClient client = RedisClient.builder()
                .hostAndPort(uri.getHost(), uri.getPort())
                .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(ms).socketTimeoutMillis(ms)
                        .protocol(RedisProtocol.RESP2).build())
                .poolConfig(pool)
                .build();
        return new Ledger(client, connections);
    }

    /** Records that a run started (only when journaling). */
    void started(String worker, String id, int attempt) {
        redis.rpush(EVENTS, "start " + worker + " " + id + " " + attempt);
    }

    /** Records a run's handler start and end (epoch ms, this machine's clock), for tests of limits. */
    void span(String worker, String id, long startMillis, long endMillis) {
        redis.rpush(SPANS, startMillis + " " + endMillis + " " + worker + " " + id);
    }

    /** A handler run's start and end (epoch ms) and where it ran, as {@link #span} recorded it. */
    record Span(long start, long end, String worker, String id) {
    }

    /** Every span recorded so far. */
    List<Span> spans() {
        List<Span> out = new ArrayList<>();
        for (String line : redis.lrange(SPANS, 0, -1)) {
            String[] f = line.split(" ");
            out.add(new Span(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2], f[3]));
        }
        return out;
    }

    /** Records that a run's handler returned: counts it, and journals it when asked to. */
    void completed(String worker, String id, int attempt, boolean journal) {
        if (!journal) {
            redis.hincrBy(DONE, id, 1);
            return;
        }
        try (Pipeline p = redis.pipelined()) {
            p.hincrBy(DONE, id, 1);
            p.rpush(EVENTS, "done " + worker + " " + id + " " + attempt);
            p.sync();
        }
    }

    /** Publishes a worker's totals of acked and dead-lettered jobs, and how many it is running now. */
    void publishOutcomes(String worker, long acked, long buried, int running) {
        try (Pipeline p = redis.pipelined()) {
            p.hset(ACKED, worker, Long.toString(acked));
            p.hset(BURIED, worker, Long.toString(buried));
            p.hset(RUNNING, worker, Integer.toString(running));
            p.sync();
        }
    }

    /** Completed runs per job id. */
    Map<String, Integer> completions() {
        return read(r -> {
            Map<String, Integer> out = new HashMap<>();
            ScanParams params = new ScanParams().count(5000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<Map.Entry<String, String>> page = r.hscan(DONE, cursor, params);
                for (Map.Entry<String, String> e : page.getResult()) {
                    out.put(e.getKey(), Integer.parseInt(e.getValue()));
                }
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
            return out;
        });
    }

    /** How many distinct jobs have completed at least once. */
    long completedJobs() {
        return read(r -> r.hlen(DONE));
    }

    /** The journal, oldest first. */
    List<Event> events() {
        List<Event> out = new ArrayList<>();
        for (String line : read(r -> r.lrange(EVENTS, 0, -1))) {
            out.add(Event.parse(line));
        }
        return out;
    }

    /** Journal entries of one job, oldest first. */
    List<Event> events(String id) {
        return events().stream().filter(e -> e.id().equals(id)).toList();
    }

    /** Jobs acked per worker, as last published. */
    Map<String, Long> acked() {
        return totals(ACKED);
    }

    /** Jobs dead-lettered per worker, as last published. */
    Map<String, Long> buried() {
        return totals(BURIED);
    }

    /** Jobs in flight per worker, as last published. */
    Map<String, Long> running() {
        return totals(RUNNING);
    }

    private Map<String, Long> totals(String key) {
        Map<String, Long> out = new HashMap<>();
        read(r -> r.hgetAll(key)).forEach((k, v) -> out.put(k, Long.parseLong(v)));
        return out;
    }

    /**
     * Runs a read-only body, again on another connection while the one it got is broken: after a Redis
     * restart the pool still holds connections to the old process.
     */
    <T> T read(Function<UnifiedJedis, T> body) {
        for (int tries = 1; ; tries++) {
            try {
                return body.apply(redis);
            } catch (JedisConnectionException staleConnection) {
                if (tries > connections) {
                    throw staleConnection;
                }
            }
        }
    }

    /** Runs a body that writes; not repeated, since a write whose reply was lost may have happened. */
    <T> T write(Function<UnifiedJedis, T> body) {
        return body.apply(redis);
    }

    @Override
    public void close() {
        redis.close();
    }
}
