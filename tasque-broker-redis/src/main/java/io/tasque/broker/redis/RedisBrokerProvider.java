package io.tasque.broker.redis;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerProvider;
import io.tasque.broker.BrokerUri;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Opens {@code redis://[user:password@]host[:port][/db]}, over TLS
 * {@code rediss://…[?cacert=/ca.pem | ?truststore=/t.p12&truststorePassword=…]}, and a Redis Cluster by its seed
 * nodes, {@code redis-cluster://[user:password@]host1:port1,host2:port2,…} (no database: a cluster has only 0), over
 * TLS {@code rediss-cluster://…} with the same TLS parameters as {@code rediss://}: every node of the cluster, the
 * seeds and those learnt from {@code CLUSTER SLOTS}, is then reached over TLS, trusting the same certificates.
 *
 * <p>A cluster URI also takes {@code ?statsFrom=replica} ({@link #STATS_FROM}): {@code stats} and {@code queues}
 * then read from a replica of each master (see {@link ReplicaReads}).
 */
public final class RedisBrokerProvider implements BrokerProvider {

    /** Redis's port when the URI names none. */
    public static final int DEFAULT_PORT = 6379;

    /** {@code rediss://} query parameter: a PEM file of the CA certificates to trust instead of the JDK's. */
    public static final String CACERT = "cacert";
    /** {@code rediss://} query parameter: a key store (PKCS#12 or JKS) of the certificates to trust. */
    public static final String TRUSTSTORE = "truststore";
    /** {@code rediss://} query parameter: the password of {@link #TRUSTSTORE}; never printed. */
    public static final String TRUSTSTORE_PASSWORD = "truststorePassword";
    /** Query parameter: replicas that must confirm each submit and ack ({@link BrokerOptions#replicas()}). */
    public static final String REPLICAS = "replicas";
    /**
     * Query parameter of the cluster and sentinel schemes: where {@code stats} and {@code queues} read,
     * {@value #FROM_MASTER} (the default) or {@value #FROM_REPLICA}. Nothing that moves a job ever reads a replica.
     */
    public static final String STATS_FROM = "statsFrom";
    /** {@code ?statsFrom=} value: stats from the master. */
    public static final String FROM_MASTER = "master";
    /** {@code ?statsFrom=} value: stats from a replica. */
    public static final String FROM_REPLICA = "replica";

    private static final List<String> TLS_PARAMETERS = List.of(CACERT, TRUSTSTORE, TRUSTSTORE_PASSWORD);
    // every scheme names the TLS parameters and statsFrom, so that check() can say which scheme takes them instead
    // of calling them unknown
    private static final List<String> PARAMETERS = with(with(TLS_PARAMETERS, REPLICAS), STATS_FROM);
    private static final BrokerUri.Shape PLAIN = new BrokerUri.Shape(DEFAULT_PORT, BrokerUri.Hosts.ONE, BrokerUri.Path.DATABASE,
            PARAMETERS, "redis://host:6379");
    private static final BrokerUri.Shape TLS = new BrokerUri.Shape(DEFAULT_PORT, BrokerUri.Hosts.ONE, BrokerUri.Path.DATABASE,
            PARAMETERS, "rediss://host:6379");
    private static final BrokerUri.Shape CLUSTER = new BrokerUri.Shape(DEFAULT_PORT, BrokerUri.Hosts.MANY, BrokerUri.Path.NONE,
            PARAMETERS, "redis-cluster://host1:6379,host2:6379,host3:6379");
    private static final BrokerUri.Shape TLS_CLUSTER = new BrokerUri.Shape(DEFAULT_PORT, BrokerUri.Hosts.MANY, BrokerUri.Path.NONE,
            PARAMETERS, "rediss-cluster://host1:6379,host2:6379,host3:6379?cacert=/path/ca.pem");
    private static final String CLUSTER_SCHEME = "redis-cluster";
    private static final String TLS_CLUSTER_SCHEME = "rediss-cluster";

    @Override
    public Set<String> schemes() {
        return Set.of("redis", "rediss", CLUSTER_SCHEME, TLS_CLUSTER_SCHEME);
    }

    @Override
    public BrokerUri.Shape shape(String scheme) {
        return switch (scheme) {
            case "rediss" -> TLS;
            case CLUSTER_SCHEME -> CLUSTER;
            case TLS_CLUSTER_SCHEME -> TLS_CLUSTER;
            default -> PLAIN;
        };
    }

    @Override
    public void check(BrokerUri uri) {
        checkParameters(uri, cluster(uri) ? TLS_CLUSTER_SCHEME : "rediss", cluster(uri));
    }

    /**
     * The checks every Redis scheme shares: TLS parameters only on a TLS scheme (else the error names
     * {@code tlsScheme}), {@code replicas} a number, at most one source of trust, and {@code statsFrom} one of its
     * values, {@value #FROM_REPLICA} only where the broker learns of replicas ({@code replicasKnown}).
     */
    static void checkParameters(BrokerUri uri, String tlsScheme, boolean replicasKnown) {
        if (!tls(uri)) {
            for (String p : TLS_PARAMETERS) {
                if (uri.query(p) != null) {
                    throw new IllegalArgumentException("broker URI '" + uri + "' has query parameter '" + p
                            + "', which configures TLS; use " + tlsScheme + ":// (" + uri.scheme()
                            + ":// takes only " + REPLICAS + (replicasKnown ? " and " + STATS_FROM : "") + ")");
                }
            }
        }
        replicas(uri);
        statsFromReplica(uri, replicasKnown);
        if (uri.query(CACERT) != null && uri.query(TRUSTSTORE) != null) {
            throw new IllegalArgumentException("broker URI '" + uri + "' has both " + CACERT + " and " + TRUSTSTORE
                    + "; use either a PEM file of CA certificates (cacert) or a key store (truststore)");
        }
        if (uri.query(TRUSTSTORE_PASSWORD) != null && uri.query(TRUSTSTORE) == null) {
            throw new IllegalArgumentException("broker URI '" + uri + "' has " + TRUSTSTORE_PASSWORD + " without "
                    + TRUSTSTORE + "; add truststore=/path/to/truststore.p12");
        }
    }

    /**
     * True for {@code ?statsFrom=replica}; false for {@code master} or none.
     *
     * @throws IllegalArgumentException naming the value if it is neither, or if it is {@code replica} on a
     *                                  scheme with no replicas to know of ({@code replicasKnown} false)
     */
    static boolean statsFromReplica(BrokerUri uri, boolean replicasKnown) {
        String value = uri.query(STATS_FROM);
        if (value == null || value.equals(FROM_MASTER)) {
            return false;
        }
        if (!value.equals(FROM_REPLICA)) {
            throw new IllegalArgumentException("broker URI '" + uri + "': query parameter '" + STATS_FROM + "' is '"
                    + value + "'; use " + FROM_MASTER + " (the default) or " + FROM_REPLICA);
        }
        if (!replicasKnown) {
            throw new IllegalArgumentException("broker URI '" + uri + "': query parameter '" + STATS_FROM + "' is '"
                    + value + "', but " + uri.scheme() + ":// names one server and knows of no replica to read from;"
                    + " use redis-sentinel:// or redis-cluster:// (or their rediss- forms) to read stats from replicas");
        }
        return true;
    }

    @Override
    public Broker open(BrokerUri uri, BrokerOptions options) {
        return new RedisBroker(uri, withReplicas(uri, options));
    }

    /** The options with the URI's {@code ?replicas=N}, which wins over the options' own setting. */
    static BrokerOptions withReplicas(BrokerUri uri, BrokerOptions options) {
        Integer n = replicas(uri);
        return n == null ? options : options.toBuilder().replicas(n).build();
    }

    static Integer replicas(BrokerUri uri) {
        String value = uri.query(REPLICAS);
        if (value == null) {
            return null;
        }
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0) {
            throw new IllegalArgumentException("broker URI '" + uri + "': query parameter '" + REPLICAS + "' is '" + value
                    + "'; use a number of replicas >= 0, as in ?replicas=1");
        }
        return n;
    }

    private static List<String> with(List<String> list, String more) {
        List<String> out = new ArrayList<>(list);
        out.add(more);
        return List.copyOf(out);
    }

    /** True for {@code redis-cluster://} and {@code rediss-cluster://}: the nodes are seeds of a Redis Cluster. */
    static boolean cluster(BrokerUri uri) {
        return uri.scheme().equals(CLUSTER_SCHEME) || uri.scheme().equals(TLS_CLUSTER_SCHEME);
    }

    /** True for the TLS schemes: {@code rediss://}, {@code rediss-cluster://} and {@code rediss-sentinel://}. */
    static boolean tls(BrokerUri uri) {
        return uri.scheme().startsWith("rediss");
    }
}
