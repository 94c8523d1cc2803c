package io.tasque.broker;

import io.tasque.broker.disque.DisqueBroker;
import io.tasque.broker.memory.MemoryBroker;
import io.tasque.broker.redis.RedisBroker;

/**
 * Opens the broker a URI names: {@code redis://} and {@code rediss://} → {@link RedisBroker},
 * {@code disque://host[:port][,host[:port]…]} → {@link DisqueBroker}, {@code memory://name} → {@link MemoryBroker}
 * (single-process, not durable: for tests).
 */
public final class Brokers {

    private Brokers() {
    }

    /**
     * Opens a broker. No connection is made yet; the first command connects.
     *
     * @throws IllegalArgumentException if the URI is malformed or names an unsupported scheme
     */
    public static Broker open(String uri, BrokerOptions options) {
        BrokerUri parsed = BrokerUri.parse(uri);
        return switch (parsed.scheme()) {
            case "redis", "rediss" -> new RedisBroker(parsed, options);
            case "disque" -> new DisqueBroker(parsed, options);
            case "memory" -> new MemoryBroker(parsed, options);
            default -> throw new IllegalArgumentException("broker URI '" + parsed + "': scheme '" + parsed.scheme()
                    + "' is not supported by this build; use redis://, rediss:// or disque://");
        };
    }
}
