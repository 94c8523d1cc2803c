package io.tasque.samples.foo;

import io.tasque.samples.support.BrokerChoice;
import io.tasque.samples.support.SampleArgs;
import io.tasque.samples.support.WorkerMain;
import java.io.PrintStream;
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
    private static final WorkerMain MAIN = WorkerMain.builder("FooWorker", USAGE)
            .handle(FooTask.NAME, args -> new WorkerMain.Handling(new FooHandler()))
            .submitHint("FooEnqueue", "\"some text\"")
            .build();

    private FooWorker() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the worker until it is closed; returns the exit code (0 after a clean stop, 1 on failure, 2 on bad arguments). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return MAIN.run(args, env, out, err);
    }
}
