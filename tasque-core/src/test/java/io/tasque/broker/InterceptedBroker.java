package io.tasque.broker;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * For tests: a broker that forwards every call to a real one, through every {@link BrokerCapability} the real one
 * has, and lets the test see, hold up or fail each call on the way (a call made through a capability, such as
 * {@link EnqueueNew#enqueueNew}, is seen by its own method name).
 */
public final class InterceptedBroker {

    /** Runs around one call: {@code proceed} makes the real call and returns its result. */
    @FunctionalInterface
    public interface Around {
        Object call(String method, Object[] args, Proceed proceed) throws Throwable;
    }

    /** Makes the real call. */
    @FunctionalInterface
    public interface Proceed {
        Object call() throws Throwable;
    }

    /** Runs before one call; throwing fails the call without making it. */
    @FunctionalInterface
    public interface Before {
        void call(String method, Object[] args) throws Throwable;
    }

    private InterceptedBroker() {
    }

    public static Broker before(Broker real, Before before) {
        return around(real, (method, args, proceed) -> {
            before.call(method, args);
            return proceed.call();
        });
    }

    public static Broker around(Broker real, Around around) {
        Set<Class<?>> types = new LinkedHashSet<>();
        types.add(Broker.class);
        for (Class<?> c = real.getClass(); c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (BrokerCapability.class.isAssignableFrom(i)) {
                    types.add(i);
                }
            }
        }
        return (Broker) Proxy.newProxyInstance(InterceptedBroker.class.getClassLoader(), types.toArray(Class<?>[]::new),
                (proxy, method, args) -> {
                    if (method.getName().equals("capability")) {
                        Class<?> type = (Class<?>) args[0];
                        return type.isInstance(proxy) ? Optional.of(proxy) : Optional.empty();
                    }
                    return around.call(method.getName(), args, () -> {
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
                });
    }
}
