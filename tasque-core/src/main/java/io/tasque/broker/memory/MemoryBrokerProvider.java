package io.tasque.broker.memory;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerProvider;
import io.tasque.broker.BrokerUri;
import java.util.List;
import java.util.Set;

/** Opens {@code memory://<name>}: the {@link MemoryBroker} store of that name in this JVM. */
public final class MemoryBrokerProvider implements BrokerProvider {

    private static final BrokerUri.Shape SHAPE = new BrokerUri.Shape(0, BrokerUri.Hosts.NAME, BrokerUri.Path.NONE, List.of(), "memory://<name>");

    @Override
    public Set<String> schemes() {
        return Set.of("memory");
    }

    @Override
    public BrokerUri.Shape shape(String scheme) {
        return SHAPE;
    }

    @Override
    public Broker open(BrokerUri uri, BrokerOptions options) {
        return new MemoryBroker(uri, options);
    }
}
