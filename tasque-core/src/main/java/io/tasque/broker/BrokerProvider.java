package io.tasque.broker;

import java.util.Set;

/**
 * Opens the brokers of some URI schemes. Each broker module registers one in
 * {@code META-INF/services/io.tasque.broker.BrokerProvider}; {@link Brokers} finds it with
 * {@link java.util.ServiceLoader} by the URI's scheme, so adding a broker is adding a module.
 */
public interface BrokerProvider {

    /** The schemes this provider opens, lower case, e.g. {@code redis} and {@code rediss}. */
    Set<String> schemes();

    /** What URIs of {@code scheme} (one of {@link #schemes()}) look like. */
    BrokerUri.Shape shape(String scheme);

    /**
     * Checks what the {@link BrokerUri.Shape} cannot say (parameters that exclude each other, credentials the
     * broker does not take); called by {@link BrokerUri#parse}.
     *
     * @throws IllegalArgumentException naming the value (without its password) and what is wrong with it
     */
    default void check(BrokerUri uri) {
    }

    /** Opens a broker; no connection is made yet, the first command connects. */
    Broker open(BrokerUri uri, BrokerOptions options);
}
