package io.tasque.client;

import io.tasque.broker.Broker;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A view of the client's broker that checks the client is still open before every call, so the admin view
 * fails with "tasque client for … is closed" after {@link TasqueClient#close()} instead of a connection pool's
 * complaint. Every method of the broker SPI, present and future, goes through the same check.
 */
final class OpenBroker {

    private OpenBroker() {
    }

    /** {@code broker}, with {@code checkOpen} run before each call except {@code describe} and {@code close}. */
    static Broker guard(Broker broker, Runnable checkOpen) {
        return (Broker) Proxy.newProxyInstance(Broker.class.getClassLoader(), new Class<?>[] {Broker.class},
                (proxy, method, args) -> call(broker, checkOpen, method, args));
    }

    private static Object call(Broker broker, Runnable checkOpen, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() != Object.class && !method.getName().equals("describe")
                && !method.getName().equals("close")) {
            checkOpen.run();
        }
        try {
            return method.invoke(broker, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
