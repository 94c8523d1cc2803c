package io.tasque.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension that gives each test class one real {@link RedisServer}, injectable as a parameter of
 * constructors, lifecycle methods and test methods. Before each test it brings the server back if a test
 * paused, stopped or killed it, then empties it with FLUSHALL. Nested classes share their outer class's server.
 * Tests of one class share the server, so they must not run concurrently with each other.
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        ParameterResolver {

    private static final Logger LOG = LoggerFactory.getLogger(RedisExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisExtension.class);
    private static final String KEY = "redis-server";

    @Override
    public void beforeAll(ExtensionContext context) {
        serverFor(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // Only the class that started the server owns the entry; nested classes find nothing here.
        StoredServer stored = context.getStore(NAMESPACE).remove(KEY, StoredServer.class);
        if (stored != null) {
            stored.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        RedisServer server = serverFor(context);
        if (!server.isRunning()) {
            LOG.info("previous test left redis-server on {} not running; restarting it", server.uri());
            server.restart();
        } else if (server.isPaused()) {
            LOG.info("previous test left redis-server on {} paused; resuming it", server.uri());
            server.resume();
        }
        server.flushAll();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == RedisServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return serverFor(extensionContext);
    }

    private static RedisServer serverFor(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent(KEY, key -> new StoredServer(RedisServer.start()), StoredServer.class)
                .server();
    }

    /** Store entry that closes its server when JUnit discards the class's store. */
    @SuppressWarnings("deprecation")
    private static final class StoredServer implements AutoCloseable, ExtensionContext.Store.CloseableResource {

        private final RedisServer server;

        StoredServer(RedisServer server) {
            this.server = server;
        }

        RedisServer server() {
            return server;
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
