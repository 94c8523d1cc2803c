package io.tasque.samples.foo;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.samples.support.CountingHandler;
import io.tasque.samples.support.SampleArgs;
import io.tasque.samples.support.SampleMain;
import io.tasque.testkit.RedisServer;
import io.tasque.worker.Worker;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * One-command demo of the foo sample: starts an embedded Redis, a worker (concurrency 2) and a client in this
 * process, submits five {@code foo} tasks and one delayed by a second, waits until all six were handled (at
 * most 30 s), prints a summary and exits 0, or 1 if the deadline passed.
 */
public final class FooDemo {

    static final int CONCURRENCY = 2;
    static final int IMMEDIATE_TASKS = 5;
    static final Duration DELAY = Duration.ofSeconds(1);
    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final String USAGE = "FooDemo (no arguments; starts its own embedded Redis)";
    private static final SampleMain MAIN = SampleMain.of("FooDemo", USAGE, List.of()).rejectingArguments("takes none");

    private FooDemo() {
    }

    /** What one demo run achieved. */
    record Result(int submitted, int handled, String broker) {

        /** True if every submitted task was handled. */
        boolean complete() {
            return handled == submitted;
        }

        /** The summary line, e.g. {@code foo demo: 6 of 6 tasks handled on redis://127.0.0.1:40123}. */
        String summary() {
            return "foo demo: " + handled + " of " + submitted + " tasks handled on " + broker
                    + (complete() ? "" : " (deadline of " + DEADLINE.toSeconds() + " s passed)");
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the demo and prints its summary; returns the exit code (0 all handled, 1 otherwise, 2 bad arguments). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return MAIN.run(args, out, err, parsed -> {
            Result result = demo(out, DEADLINE);
            out.println(result.summary());
            return result.complete() ? 0 : 1;
        });
    }

    /**
     * Starts Redis, a worker and a client, submits the tasks and waits up to {@code deadline} until each was
     * handled once; closes everything before it returns.
     */
    static Result demo(PrintStream out, Duration deadline) throws InterruptedException {
        int total = IMMEDIATE_TASKS + 1;
        CountingHandler counting = new CountingHandler(new FooHandler(), total);
        try (RedisServer redis = RedisServer.start();
             Worker worker = Worker.builder()
                     .broker(redis.uri())
                     .concurrency(CONCURRENCY)
                     .handle(FooTask.NAME, counting)
                     .build();
             TasqueClient client = TasqueClient.connect(redis.uri())) {
            worker.start();
            for (int i = 1; i <= IMMEDIATE_TASKS; i++) {
                client.submit(FooTask.of("hello " + i));
            }
            Task later = FooTask.of("hello after " + SampleArgs.format(DELAY));
            client.submit(later, DELAY);
            out.println("foo demo: submitted " + total + " tasks to " + redis.uri() + " (one delayed by "
                    + SampleArgs.format(DELAY) + "); waiting up to " + deadline.toSeconds() + " s");
            counting.await(deadline);
            return new Result(total, counting.handled(), redis.uri());
        }
    }
}
