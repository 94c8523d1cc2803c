package io.tasque.samples.foo;

import io.tasque.client.TasqueClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Enqueue main of the foo sample: submits one {@code foo} task per text argument and prints each job id.
 *
 * <pre>FooEnqueue [--broker URI] [--delay 5s] [TEXT...]</pre>
 *
 * With no texts it submits one task, {@code "hello"}. The broker is {@code --broker}, else
 * {@code $TASQUE_BROKER}, else an embedded Redis started for this process.
 */
public final class FooEnqueue {

    static final String USAGE = "FooEnqueue [--broker URI] [--delay 500ms|5s|2m] [TEXT...]"
            + " (broker: --broker, else $" + BrokerChoice.ENV + ", else an embedded Redis; texts default \"hello\")";
    static final String DEFAULT_TEXT = "hello";
    private static final List<String> OPTIONS = List.of(SampleArgs.BROKER, SampleArgs.DELAY);
    private static final String ME = "FooEnqueue";

    private FooEnqueue() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Submits the tasks; returns the exit code (0 when all were stored, 1 on failure, 2 on bad arguments). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            SampleArgs parsed = SampleArgs.parse(args, OPTIONS);
            if (parsed.help()) {
                out.println("usage: " + USAGE);
                return 0;
            }
            List<String> texts = parsed.positional().isEmpty() ? List.of(DEFAULT_TEXT) : parsed.positional();
            Duration delay = parsed.delay();
            try (BrokerChoice broker = BrokerChoice.choose(parsed.broker(), env)) {
                if (broker.embedded()) {
                    out.println(ME + ": no --broker and no $" + BrokerChoice.ENV + "; started an embedded Redis on "
                            + broker.uri() + ". It is empty and private to this process and stops when it ends, so"
                            + " this is mainly for trying it out; pass --broker to reach your workers");
                }
                try (TasqueClient client = TasqueClient.connect(broker.uri())) {
                    for (String text : texts) {
                        String id = client.submit(FooTask.of(text), delay);
                        out.println("submitted " + FooTask.NAME + " job " + id + ": \"" + text + "\""
                                + (delay.isZero() ? "" : " (due in " + SampleArgs.format(delay) + ")"));
                    }
                }
            }
            return 0;
        } catch (UsageException e) {
            err.println(ME + ": " + e.getMessage() + "; usage: " + USAGE);
            return 2;
        } catch (RuntimeException e) {
            err.println(ME + ": " + e.getMessage());
            return 1;
        }
    }
}
