package io.tasque.broker;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Opens the broker a URI names, through the {@link BrokerProvider} on the class path that takes its scheme:
 * {@code redis://}, {@code redis-sentinel://}, {@code redis-cluster://} and their TLS forms {@code rediss://},
 * {@code rediss-sentinel://} and {@code rediss-cluster://} (module {@code tasque-broker-redis}), {@code disque://}
 * ({@code tasque-broker-disque}) and {@code memory://name} (built in: single-process, not durable, for tests).
 */
public final class Brokers {

    /** Where the brokers this project ships live, to name the module a user has to add. */
    private static final Map<String, String> MODULES = Map.of(
            "redis", "io.tasque:tasque-broker-redis",
            "rediss", "io.tasque:tasque-broker-redis",
            "redis-sentinel", "io.tasque:tasque-broker-redis",
            "redis-cluster", "io.tasque:tasque-broker-redis",
            "rediss-sentinel", "io.tasque:tasque-broker-redis",
            "rediss-cluster", "io.tasque:tasque-broker-redis",
            "disque", "io.tasque:tasque-broker-disque");

    private static volatile Map<String, BrokerProvider> providers;

    private Brokers() {
    }

    /**
     * Opens a broker. No connection is made yet; the first command connects.
     *
     * @throws IllegalArgumentException if the URI is malformed or no broker on the class path takes its scheme
     */
    public static Broker open(String uri, BrokerOptions options) {
        BrokerUri parsed = BrokerUri.parse(uri);
        return providers().get(parsed.scheme()).open(parsed, options);
    }

    /** The provider of {@code scheme}, or an error naming the module that has it. */
    static BrokerProvider provider(String scheme, String shownUri) {
        BrokerProvider p = providers().get(scheme);
        if (p != null) {
            return p;
        }
        String module = MODULES.get(scheme);
        if (module != null) {
            throw new IllegalArgumentException("broker URI '" + shownUri + "': no broker for scheme '" + scheme
                    + "'; add " + module);
        }
        throw new IllegalArgumentException("broker URI '" + shownUri + "' has unknown scheme '" + scheme + "'; use "
                + examples());
    }

    /** The schemes on the class path, as {@code redis://, rediss:// or memory://}. */
    static String examples() {
        String list = providers().keySet().stream().map(s -> s + "://").collect(Collectors.joining(", "));
        int last = list.lastIndexOf(", ");
        return last < 0 ? list : list.substring(0, last) + " or " + list.substring(last + 2);
    }

    private static Map<String, BrokerProvider> providers() {
        Map<String, BrokerProvider> found = providers;
        if (found == null) {
            found = new TreeMap<>();
            for (BrokerProvider p : ServiceLoader.load(BrokerProvider.class, Brokers.class.getClassLoader())) {
                for (String scheme : p.schemes()) {
                    BrokerProvider before = found.putIfAbsent(scheme, p);
                    if (before != null && before.getClass() != p.getClass()) {
                        throw new IllegalStateException("two brokers take scheme '" + scheme + "': "
                                + before.getClass().getName() + " and " + p.getClass().getName());
                    }
                }
            }
            providers = found;
        }
        return found;
    }
}
