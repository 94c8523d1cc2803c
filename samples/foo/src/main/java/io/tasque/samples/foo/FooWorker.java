package io.tasque.samples.foo;

import io.tasque.worker.Worker;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Worker main of the foo sample: runs {@code foo} tasks from the broker until Ctrl-C or SIGTERM, then drains.
 *
 * <pre>FooWorker [--broker URI] [--concurrency N]</pre>
 *
 * The broker is {@code --broker}, else {@code $TASQUE_BROKER}, else an embedded Redis started for this process.
 */
public final class FooWorker {

    static final String USAGE = "FooWorker [--broker URI] [--concurrency N]"
            + " (broker: --broker, else $" + BrokerChoice.ENV + ", else an embedded Redis; concurrency default "
            + SampleArgs.DEFAULT_CONCURRENCY + ")";
    private static final List<String> OPTIONS = List.of(SampleArgs.BROKER, SampleArgs.CONCURRENCY);
    private static final String ME = "FooWorker";

    private FooWorker() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the worker until it is closed; returns the exit code (0 after a clean stop, 1 on failure, 2 on bad arguments). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            SampleArgs parsed = SampleArgs.parse(args, OPTIONS);
            if (parsed.help()) {
                out.println("usage: " + USAGE);
                return 0;
            }
            if (!parsed.positional().isEmpty()) {
                throw new UsageException("unexpected argument '" + parsed.positional().get(0) + "'; " + ME
                        + " takes options only");
            }
            try (BrokerChoice broker = BrokerChoice.choose(parsed.broker(), env)) {
                if (broker.embedded()) {
                    out.println(ME + ": no --broker and no $" + BrokerChoice.ENV + "; started an embedded Redis on "
                            + broker.uri() + " (it stops with this process)");
                    out.println(ME + ": submit to it from another terminal with: FooEnqueue --broker " + broker.uri()
                            + " \"some text\"");
                }
                Worker worker = Worker.builder()
                        .broker(broker.uri())
                        .concurrency(parsed.concurrency())
                        .handle(FooTask.NAME, new FooHandler())
                        .build();
                out.println(ME + ": handling '" + FooTask.NAME + "' tasks from " + broker.describe()
                        + " with concurrency " + parsed.concurrency() + "; stop with Ctrl-C or SIGTERM");
                try {
                    worker.run();
                } finally {
                    worker.close();
                }
            }
            return 0;
        } catch (UsageException e) {
            err.println(ME + ": " + e.getMessage() + "; usage: " + USAGE);
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(ME + ": interrupted");
            return 1;
        } catch (RuntimeException e) {
            err.println(ME + ": " + e.getMessage());
            return 1;
        }
    }
}
