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
 *
 * <p>{@code rediss-sentinel://…} is the same over TLS, with the TLS query parameters of {@code rediss://}
 * ({@code cacert}, or {@code truststore} and {@code truststorePassword}). TLS then covers both hops with the same
 * settings: the sentinels are asked over TLS (a sentinel's {@code tls-port}), and the master and replicas they name
 * are reached over TLS, each trusted on the same certificates and its name checked against the address the
 * sentinels announce. A deployment whose sentinels speak plain text while its data nodes speak TLS (or the
 * reverse) is not supported: one URI carries one trust setting, and mixing would let a plain-text sentinel
 * steer a TLS client to any server it names.
 *
 * <p>{@code ?statsFrom=replica} makes {@code stats} and {@code queues} read from a replica the sentinels report
 * as up (see {@link ReplicaReads}); the default, {@code master}, reads them where everything else runs.
 */
public final class RedisSentinelBrokerProvider implements BrokerProvider {

    /** The port of a sentinel listed without one. */
    public static final int DEFAULT_PORT = 26379;
    /** The scheme of a Sentinel URI. */
    public static final String SCHEME = "redis-sentinel";
    /** The scheme of a Sentinel URI over TLS. */
    public static final String TLS_SCHEME = "rediss-sentinel";

    private static final List<String> PARAMETERS = List.of(RedisBrokerProvider.REPLICAS, RedisBrokerProvider.STATS_FROM,
            RedisBrokerProvider.CACERT, RedisBrokerProvider.TRUSTSTORE, RedisBrokerProvider.TRUSTSTORE_PASSWORD);
    private static final BrokerUri.Shape SHAPE = new BrokerUri.Shape(DEFAULT_PORT, BrokerUri.Hosts.MANY,
            BrokerUri.Path.NAME_THEN_DATABASE, PARAMETERS,
            "redis-sentinel://127.0.0.1:26379,127.0.0.1:26380,127.0.0.1:26381/mymaster");
    private static final BrokerUri.Shape TLS_SHAPE = new BrokerUri.Shape(DEFAULT_PORT, BrokerUri.Hosts.MANY,
            BrokerUri.Path.NAME_THEN_DATABASE, PARAMETERS,
            "rediss-sentinel://127.0.0.1:26379,127.0.0.1:26380,127.0.0.1:26381/mymaster?cacert=/path/ca.pem");

    @Override
    public Set<String> schemes() {
        return Set.of(SCHEME, TLS_SCHEME);
    }

    @Override
    public BrokerUri.Shape shape(String scheme) {
        return scheme.equals(TLS_SCHEME) ? TLS_SHAPE : SHAPE;
    }

    @Override
    public void check(BrokerUri uri) {
        RedisBrokerProvider.checkParameters(uri, TLS_SCHEME, true);
    }

    /** Connects to nothing yet: the sentinels are first asked where the master is by the first command. */
    @Override
    public Broker open(BrokerUri uri, BrokerOptions options) {
        BrokerOptions withReplicas = RedisBrokerProvider.withReplicas(uri, options);
        JedisClientConfig master = RedisBroker.clientConfig(uri, withReplicas);
        JedisClientConfig sentinels = sentinelConfig(uri, withReplicas);
        SentinelPool pool = new SentinelPool(uri.toString(), uri.pathName(), sentinels(uri),
                RedisBroker.poolConfig(withReplicas), master, sentinels);
        ReplicaReads statsReads = RedisBrokerProvider.statsFromReplica(uri, true)
                ? new SentinelReplicas(uri.toString(), uri.pathName(), sentinels(uri), sentinels, master,
                        RedisBroker.poolConfig(withReplicas))
                : null;
        return new RedisBroker(uri.toString(), withReplicas, master, pool, pool::master, statsReads);
    }

    private static Set<HostAndPort> sentinels(BrokerUri uri) {
        Set<HostAndPort> out = new LinkedHashSet<>();
        for (BrokerUri.Node n : uri.nodes()) {
            out.add(new HostAndPort(n.host(), n.port()));
        }
        return out;
    }

    /** Sentinels take no credentials from the URI (those are the master's), but the URI's TLS settings. */
    private static JedisClientConfig sentinelConfig(BrokerUri uri, BrokerOptions options) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) options.connectTimeout().toMillis())
                .socketTimeoutMillis((int) options.commandTimeout().toMillis())
                .clientName("tasque-sentinel")
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .protocol(RedisProtocol.RESP2);
        if (RedisBrokerProvider.tls(uri)) {
            TlsSockets tls = TlsSockets.of(uri, options);
            config.ssl(true).sslSocketFactory(tls).sslParameters(tls.parameters());
        }
        return config.build();
    }
}
