package io.tasque.broker;

/**
 * Something only some brokers can do. A broker that can implements the capability's interface; callers ask
 * with {@link Broker#capability(Class)} and fall back to the required methods when it is absent.
 */
public interface BrokerCapability {
}
