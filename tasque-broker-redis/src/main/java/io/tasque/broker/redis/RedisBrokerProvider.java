package io.tasque.broker.redis;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerProvider;
import io.tasque.broker.BrokerUri;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Opens {@code redis://[user:password@]host[:port][/db]} and, over TLS,
 * {@code rediss://…[?cacert=/ca.pem | ?truststore=/t.p12&truststorePassword=…]}.
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

    @Override
    public Set<String> schemes() {
        return Set.of("redis", "rediss");
    }

    @Override
    public BrokerUri.Shape shape(String scheme) {
        return scheme.equals("rediss") ? TLS : PLAIN;
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

    /** True for {@code rediss://}. */
    static boolean tls(BrokerUri uri) {
        return uri.scheme().equals("rediss");
    }
}
