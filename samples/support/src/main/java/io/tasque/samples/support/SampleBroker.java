package io.tasque.samples.support;

import io.tasque.testkit.RedisServer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The broker a sample main talks to: {@code --broker URI} from its command line, else the {@value #ENV}
 * environment variable, else an embedded Redis started for this process, which stops when this is closed. The
 * other command-line arguments are left to the main.
 */
public final class SampleBroker implements AutoCloseable {

    /** Environment variable naming the broker when {@code --broker} is not given. */
    public static final String ENV = "TASQUE_BROKER";

    private static final String OPTION = "--broker";

    private final String uri;
    private final List<String> arguments;
    private final RedisServer embedded;

    private SampleBroker(String uri, List<String> arguments, RedisServer embedded) {
        this.uri = uri;
        this.arguments = List.copyOf(arguments);
        this.embedded = embedded;
    }

    /**
     * Reads {@code --broker URI} from {@code args}, else {@code $TASQUE_BROKER}; with neither, starts an embedded
     * Redis and prints its URI.
     *
     * @throws IllegalArgumentException if {@code --broker} is the last argument, with no URI after it
     */
    public static SampleBroker choose(String[] args) {
        return choose(args, System.getenv(), System.out);
    }

    static SampleBroker choose(String[] args, Map<String, String> env, PrintStream out) {
        String given = env.get(ENV);
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].equals(OPTION)) {
                rest.add(args[i]);
            } else if (i + 1 < args.length) {
                given = args[++i];
            } else {
                throw new IllegalArgumentException(OPTION + " needs a URI after it, e.g. " + OPTION
                        + " redis://localhost:6379");
            }
        }
        if (given != null && !given.isBlank()) {
            return new SampleBroker(given.trim(), rest, null);
        }
        RedisServer redis = RedisServer.start();
        out.println("no " + OPTION + " and no $" + ENV + ": started an embedded Redis on " + redis.uri()
                + "; it stops with this process");
        return new SampleBroker(redis.uri(), rest, redis);
    }

    /** The broker URI to connect to. */
    public String uri() {
        return uri;
    }

    /** The command-line arguments other than {@code --broker URI}, in order. */
    public List<String> arguments() {
        return arguments;
    }

    /** True if no broker was given and an embedded Redis was started for this process. */
    public boolean embedded() {
        return embedded != null;
    }

    /** Stops the embedded Redis, if one was started. */
    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
