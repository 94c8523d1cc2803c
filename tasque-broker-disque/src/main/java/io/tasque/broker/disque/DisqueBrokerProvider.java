package io.tasque.broker.disque;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerProvider;
import io.tasque.broker.BrokerUri;
import java.util.List;
import java.util.Set;

/** Opens {@code disque://[password@]host[:port][,host[:port]…]}: a Disque cluster, seeded by those nodes. */
public final class DisqueBrokerProvider implements BrokerProvider {

    /** Disque's port when the URI names none. */
    public static final int DEFAULT_PORT = 7711;

    private static final BrokerUri.Shape SHAPE = new BrokerUri.Shape(DEFAULT_PORT, BrokerUri.Hosts.MANY, BrokerUri.Path.NONE,
            List.of(), "disque://host:7711,host2:7711");

    @Override
    public Set<String> schemes() {
        return Set.of("disque");
    }

    @Override
    public BrokerUri.Shape shape(String scheme) {
        return SHAPE;
    }

    @Override
    public Broker open(BrokerUri uri, BrokerOptions options) {
        return new DisqueBroker(uri, options);
    }
}
