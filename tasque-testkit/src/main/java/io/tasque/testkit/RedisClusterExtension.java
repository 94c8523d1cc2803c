package io.tasque.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives each test class one real {@link RedisCluster} (three masters with a replica each),
 * injectable as a parameter of constructors, lifecycle methods and test methods, and empties every master before each
 * test. Tests of one class share the cluster, so they must not run concurrently with each other.
 */
public final class RedisClusterExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisClusterExtension.class);
    private static final String KEY = "redis-cluster";

    @Override
    public void beforeAll(ExtensionContext context) {
        clusterFor(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        StoredCluster stored = context.getStore(NAMESPACE).remove(KEY, StoredCluster.class);
        if (stored != null) {
            stored.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        clusterFor(context).flushMasters();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == RedisCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return clusterFor(extensionContext);
    }

    private static RedisCluster clusterFor(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent(KEY, key -> new StoredCluster(RedisCluster.start()), StoredCluster.class)
                .cluster();
    }

    /** Store entry that closes its cluster when JUnit discards the class's store. */
    @SuppressWarnings("deprecation")
    private record StoredCluster(RedisCluster cluster) implements AutoCloseable, ExtensionContext.Store.CloseableResource {

        @Override
        public void close() {
            cluster.close();
        }
    }
}
