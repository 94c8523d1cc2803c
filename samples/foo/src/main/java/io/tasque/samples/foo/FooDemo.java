package io.tasque.samples.foo;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.worker.Worker;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-command demo of the foo sample: starts an embedded Redis, a worker and a client in this process, submits
 * five {@code foo} tasks and one delayed by a second, waits until all six were handled (at most 30 s), prints a
 * summary and exits 0, or 1 if the deadline passed.
 */
public final class FooDemo {

    static final int TASKS = 6;
    static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(FooDemo.class);

    private FooDemo() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(System.out) ? 0 : 1);
    }

    /** Runs the demo, printing what it submitted and a summary; true if every task was handled in time. */
    static boolean run(PrintStream out) throws InterruptedException {
        Set<String> handled = ConcurrentHashMap.newKeySet();    // job ids: a job run twice counts once
        CountDownLatch allHandled = new CountDownLatch(TASKS);
        boolean complete;
        String broker;
        try (RedisServer redis = RedisServer.start();
             Worker worker = Worker.builder()
                     .broker(redis.uri())
                     .concurrency(2)
                     .handle("foo", task -> {
                         log.info("foo: {}", task.param("text", String.class));
                         if (handled.add(task.id())) {
                             allHandled.countDown();
                         }
                     })
                     .build()
                     .start();
             TasqueClient client = TasqueClient.connect(redis.uri())) {
            for (int i = 1; i < TASKS; i++) {
                client.submit(Task.of("foo").set("text", "hello " + i));
            }
            client.submit(Task.of("foo").set("text", "hello after 1s"), Duration.ofSeconds(1));   // delayed
            out.println("foo demo: submitted " + TASKS + " tasks to " + redis.uri() + " (one delayed by 1s);"
                    + " waiting up to " + DEADLINE.toSeconds() + " s");
            complete = allHandled.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            broker = redis.uri();
        }
        out.println("foo demo: " + handled.size() + " of " + TASKS + " tasks handled on " + broker
                + (complete ? "" : " (deadline of " + DEADLINE.toSeconds() + " s passed)"));
        return complete;
    }
}
