package io.tasque.broker.redis;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerProvider;
import io.tasque.broker.BrokerUri;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisProtocol;

/**
 * Opens {@code redis-sentinel://[user:password@]s1:p1,s2:p2,…/<master-name>[/db][?replicas=N]}: the Redis master
 * that the listed Sentinels monitor under that name, followed through every promotion they announce. The user
 * name and password are the master's (and its replicas'); the sentinels are asked without credentials.
 */
public final class RedisSentinelBrokerProvider implements BrokerProvider {

    /** The port of a sentinel listed without one. */
    public static final int DEFAULT_PORT = 26379;
    public static final String SCHEME = "redis-sentinel";

    private static final BrokerUri.Shape SHAPE = new BrokerUri.Shape(DEFAULT_PORT, BrokerUri.Hosts.MANY,
            BrokerUri.Path.NAME_THEN_DATABASE, List.of(RedisBrokerProvider.REPLICAS),
            "redis-sentinel://127.0.0.1:26379,127.0.0.1:26380,127.0.0.1:26381/mymaster");

    @Override
    public Set<String> schemes() {
        return Set.of(SCHEME);
    }

    @Override
    public BrokerUri.Shape shape(String scheme) {
        return SHAPE;
    }

    @Override
    public void check(BrokerUri uri) {
        RedisBrokerProvider.replicas(uri);
    }

    /** Connects to nothing yet: the sentinels are first asked where the master is by the first command. */
    @Override
    public Broker open(BrokerUri uri, BrokerOptions options) {
        BrokerOptions withReplicas = RedisBrokerProvider.withReplicas(uri, options);
        JedisClientConfig master = RedisBroker.clientConfig(uri, withReplicas);
        SentinelPool pool = new SentinelPool(uri.toString(), uri.pathName(), sentinels(uri),
                RedisBroker.poolConfig(withReplicas), master, sentinelConfig(withReplicas));
        return new RedisBroker(uri.toString(), withReplicas, master, pool, pool::master);
    }

    private static Set<HostAndPort> sentinels(BrokerUri uri) {
        Set<HostAndPort> out = new LinkedHashSet<>();
        for (BrokerUri.Node n : uri.nodes()) {
            out.add(new HostAndPort(n.host(), n.port()));
        }
        return out;
    }

    /** Sentinels take no credentials from the URI: those are the master's. */
    private static JedisClientConfig sentinelConfig(BrokerOptions options) {
        return DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) options.connectTimeout().toMillis())
                .socketTimeoutMillis((int) options.commandTimeout().toMillis())
                .clientName("tasque-sentinel")
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .protocol(RedisProtocol.RESP2)
                .build();
    }
}
