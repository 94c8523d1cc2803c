package io.tasque.bench;

import io.tasque.broker.BrokerUri;
import io.tasque.testkit.RedisServer;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The Redis the benchmark runs against and how to empty it between phases: either a private testkit
 * server without persistence (emptied with FLUSHALL), or a given URI (emptied with FLUSHDB on its database,
 * which the user allowed with {@code --flush}). Closing stops the private server; a given one is left running.
 */
final class RedisTarget implements AutoCloseable {

    private static final int TIMEOUT_MS = 10_000;

    private final RedisServer server;
    private final String uri;

    private RedisTarget(RedisServer server, String uri) {
        this.server = server;
        this.uri = uri;
    }

    /** Starts a private redis-server on a free loopback port. */
    static RedisTarget privateServer() {
        RedisServer s = RedisServer.start();
        return new RedisTarget(s, s.uri());
    }

    /** Uses the Redis at {@code uri}; nothing is started. */
    static RedisTarget external(String uri) {
        return new RedisTarget(null, uri);
    }

    String uri() {
        return uri;
    }

    /** The private server's pid, or -1 for a server given with {@code --broker}. */
    long serverPid() {
        return server == null ? -1 : server.pid();
    }

    /** True when this target is the private server started for the run. */
    boolean isPrivate() {
        return server != null;
    }

    /** Deletes every key: FLUSHALL on the private server, FLUSHDB on a given one. Loaded scripts stay. */
    void flush() {
        if (server != null) {
            server.flushAll();
        } else {
            try (Jedis jedis = connect()) {
                jedis.flushDB();
            }
        }
    }

    /** A new plain RESP2 connection to the target's database, for statistics; the caller closes it. */
    Jedis connect() {
        BrokerUri parsed = BrokerUri.parse(uri);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(TIMEOUT_MS)
                .socketTimeoutMillis(TIMEOUT_MS)
                .database(parsed.database())
                .ssl(parsed.scheme().equals("rediss"))
                .autoNegotiateProtocol(false)
                .clientName("tasque-bench");
        if (parsed.password() != null) {
            config.user(parsed.user()).password(parsed.password());
        }
        return new Jedis(new HostAndPort(parsed.node().host(), parsed.node().port()), config.build());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
