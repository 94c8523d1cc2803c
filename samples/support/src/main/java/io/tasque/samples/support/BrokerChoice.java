package io.tasque.samples.support;

import io.tasque.broker.BrokerUri;
import io.tasque.testkit.RedisServer;
import java.util.Map;

/**
 * Decides which broker a sample main talks to: the {@code --broker} option, else the {@value #ENV} environment
 * variable, else a freshly started embedded Redis that lives as long as this object. Closing it stops the
 * embedded Redis, if one was started.
 */
public final class BrokerChoice implements AutoCloseable {

    /** Environment variable naming the broker when {@code --broker} is not given. */
    public static final String ENV = "TASQUE_BROKER";

    private final String uri;
    private final RedisServer embedded;

    private BrokerChoice(String uri, RedisServer embedded) {
        this.uri = uri;
        this.embedded = embedded;
    }

    /**
     * Picks the broker from the option or the environment, checking the URI, or starts an embedded Redis.
     *
     * @param option the {@code --broker} value, or null
     * @param env    the process environment
     * @throws UsageException if the chosen URI is malformed, naming it and where it came from
     */
    public static BrokerChoice choose(String option, Map<String, String> env) {
        if (option != null) {
            return new BrokerChoice(check(option, SampleArgs.BROKER.name()), null);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new BrokerChoice(check(fromEnv.trim(), ENV), null);
        }
        RedisServer redis = RedisServer.start();
        return new BrokerChoice(redis.uri(), redis);
    }

    private static String check(String uri, String source) {
        try {
            BrokerUri.parse(uri);
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException(source + " '" + BrokerUri.redact(uri) + "' is not a broker URI (" + e.getMessage()
                    + "); use e.g. redis://localhost:6379");
        }
    }

    /** The broker URI to connect to. */
    public String uri() {
        return uri;
    }

    /** The URI without credentials, for printing. */
    public String describe() {
        return BrokerUri.redact(uri);
    }

    /** True if no broker was given and an embedded Redis was started for this process. */
    public boolean embedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
