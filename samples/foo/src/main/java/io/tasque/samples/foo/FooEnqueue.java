package io.tasque.samples.foo;

import io.tasque.samples.support.BrokerChoice;
import io.tasque.samples.support.EnqueueMain;
import java.io.PrintStream;
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
    private static final EnqueueMain MAIN = new EnqueueMain("FooEnqueue", USAGE, FooTask.NAME, FooEnqueue::tasks);

    private FooEnqueue() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Submits the tasks; returns the exit code (0 when all were stored, 1 on failure, 2 on bad arguments). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return MAIN.run(args, env, out, err);
    }

    /** One task per text, shown quoted; {@value #DEFAULT_TEXT} when there are none. */
    private static List<EnqueueMain.Submission> tasks(List<String> texts) {
        return (texts.isEmpty() ? List.of(DEFAULT_TEXT) : texts).stream()
                .map(text -> new EnqueueMain.Submission(FooTask.of(text), "\"" + text + "\""))
                .toList();
    }
}
