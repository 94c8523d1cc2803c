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
 * nodes, {@code redis-cluster://[user:password@]host1:port1,host2:port2,…} (no database: a cluster has only 0).
 */
public final class RedisBrokerProvider implements BrokerProvider {

    public static final int DEFAULT_PORT = 6379;

    /** {@code rediss://} query parameter: a PEM file of the CA certificates to trust instead of the JDK's. */
    public static final String CACERT = "cacert";
    /** {@code rediss://} query parameter: a key store (PKCS#12 or JKS) of the certificates to trust. */
    public static final String TRUSTSTORE = "truststore";
    /** {@code rediss://} query parameter: the password of {@link #TRUSTSTORE}; never printed. */
    public static final String TRUSTSTORE_PASSWORD = "truststorePassword";
    /** Query parameter: replicas that must confirm each submit and ack ({@link BrokerOptions#replicas()}). */
    public static final String REPLICAS = "replicas";

    private static final List<String> TLS_PARAMETERS = List.of(CACERT, TRUSTSTORE, TRUSTSTORE_PASSWORD);
    // redis:// names the TLS parameters too, so that check() can say to use rediss:// instead of "unknown"
    private static final BrokerUri.Shape PLAIN = new BrokerUri.Shape(DEFAULT_PORT, BrokerUri.Hosts.ONE, BrokerUri.Path.DATABASE,
            with(TLS_PARAMETERS, REPLICAS), "redis://host:6379");
    private static final BrokerUri.Shape TLS = new BrokerUri.Shape(DEFAULT_PORT, BrokerUri.Hosts.ONE, BrokerUri.Path.DATABASE,
            with(TLS_PARAMETERS, REPLICAS), "rediss://host:6379");
    private static final BrokerUri.Shape CLUSTER = new BrokerUri.Shape(DEFAULT_PORT, BrokerUri.Hosts.MANY, BrokerUri.Path.NONE,
            List.of(REPLICAS), "redis-cluster://host1:6379,host2:6379,host3:6379");
    private static final String CLUSTER_SCHEME = "redis-cluster";

    @Override
    public Set<String> schemes() {
        return Set.of("redis", "rediss", CLUSTER_SCHEME);
    }

    @Override
    public BrokerUri.Shape shape(String scheme) {
        return switch (scheme) {
            case "rediss" -> TLS;
            case CLUSTER_SCHEME -> CLUSTER;
            default -> PLAIN;
        };
    }

    @Override
    public void check(BrokerUri uri) {
        if (!tls(uri)) {
            for (String p : TLS_PARAMETERS) {
                if (uri.query(p) != null) {
                    throw new IllegalArgumentException("broker URI '" + uri + "' has query parameter '" + p
                            + "', which configures TLS; use rediss:// (redis:// takes only " + REPLICAS + ")");
                }
            }
        }
        replicas(uri);
        if (uri.query(CACERT) != null && uri.query(TRUSTSTORE) != null) {
            throw new IllegalArgumentException("broker URI '" + uri + "' has both " + CACERT + " and " + TRUSTSTORE
                    + "; use either a PEM file of CA certificates (cacert) or a key store (truststore)");
        }
        if (uri.query(TRUSTSTORE_PASSWORD) != null && uri.query(TRUSTSTORE) == null) {
            throw new IllegalArgumentException("broker URI '" + uri + "' has " + TRUSTSTORE_PASSWORD + " without "
                    + TRUSTSTORE + "; add truststore=/path/to/truststore.p12");
        }
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

    /** True for {@code redis-cluster://}: the nodes are seeds of a Redis Cluster. */
    static boolean cluster(BrokerUri uri) {
        return uri.scheme().equals(CLUSTER_SCHEME);
    }

    /** True for {@code rediss://}. */
    static boolean tls(BrokerUri uri) {
        return uri.scheme().equals("rediss");
    }
}
