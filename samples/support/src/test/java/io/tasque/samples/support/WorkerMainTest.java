package io.tasque.samples.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class WorkerMainTest {

    private static final String USAGE = "EchoWorker [--broker URI] [--concurrency N] [--prefix P]";
    private static final SampleArgs.Option<String> PREFIX = SampleArgs.Option.of("--prefix", "got", (o, v) -> v);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final BlockingQueue<String> handled = new LinkedBlockingQueue<>();
    private final AtomicInteger handlersMade = new AtomicInteger();

    private final WorkerMain echo = WorkerMain.builder("EchoWorker", USAGE)
            .option(PREFIX)
            .argumentsHint(" (give texts to EchoEnqueue)")
            .handle("echo", args -> {
                handlersMade.incrementAndGet();
                String prefix = args.get(PREFIX);
                if (prefix.isEmpty()) {
                    throw new UsageException("--prefix is empty");
                }
                return new WorkerMain.Handling(task -> handled.add(prefix + " " + task.param("text", String.class)),
                        ", prefixing '" + prefix + "'");
            })
            .submitHint("EchoEnqueue", "\"some text\"")
            .build();

    @Test
    void runsTheHandlerOnTheGivenBrokerUntilInterrupted() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            Running running = start(new String[] {"--broker", redis.uri(), "--concurrency=2", "--prefix", "saw"},
                    Map.of());
            Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> text(out).contains("EchoWorker: handling"));
            assertEquals("EchoWorker: handling 'echo' tasks from " + redis.uri() + " with concurrency 2, prefixing"
                    + " 'saw'; stop with Ctrl-C or SIGTERM", text(out).strip());

            try (TasqueClient client = TasqueClient.connect(redis.uri())) {
                client.submit(Task.of("echo").set("text", "hi"));
            }
            assertEquals("saw hi", handled.poll(30, TimeUnit.SECONDS));

            assertEquals(1, running.interrupt());
            assertEquals("EchoWorker: interrupted" + System.lineSeparator(), text(err));
        }
    }

    @Test
    void withoutABrokerItStartsAnEmbeddedRedisAndSaysHowToSubmitToIt() throws Exception {
        Running running = start(new String[0], Map.of());
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> text(out).contains("EchoWorker: handling"));
        running.interrupt();

        List<String> lines = text(out).lines().toList();
        assertEquals(3, lines.size(), text(out));
        assertTrue(lines.get(0).matches("EchoWorker: no --broker and no \\$TASQUE_BROKER; started an embedded Redis"
                + " on redis://127\\.0\\.0\\.1:\\d+ \\(it stops with this process\\)"), lines.get(0));
        assertTrue(lines.get(1).matches("EchoWorker: submit to it from another terminal with: EchoEnqueue --broker"
                + " redis://127\\.0\\.0\\.1:\\d+ \"some text\""), lines.get(1));
        assertTrue(lines.get(2).endsWith(" with concurrency 4, prefixing 'got'; stop with Ctrl-C or SIGTERM"),
                lines.get(2));
    }

    @Test
    void anArgumentIsAUsageErrorWithTheHint() {
        int code = echo.run(new String[] {"hello"}, Map.of(), print(out), print(err));

        assertEquals(2, code);
        assertEquals("EchoWorker: unexpected argument 'hello'; EchoWorker takes options only (give texts to"
                + " EchoEnqueue); usage: " + USAGE + System.lineSeparator(), text(err));
        assertEquals(0, handlersMade.get());
    }

    @Test
    void acceptsTheSharedWorkerOptionsAndTheDeclaredOnesOnly() {
        assertEquals(2, echo.run(new String[] {"--delay", "1s"}, Map.of(), print(out), print(err)));
        assertTrue(text(err).startsWith("EchoWorker: unknown option '--delay'; accepted: --broker, --concurrency,"
                + " --prefix; usage: "), text(err));
    }

    @Test
    void aBadSampleOptionIsAUsageErrorBeforeAnyBrokerIsChosen() {
        int code = echo.run(new String[] {"--prefix="}, Map.of(BrokerChoice.ENV, "not a uri"), print(out),
                print(err));

        assertEquals(2, code);
        assertTrue(text(err).startsWith("EchoWorker: --prefix is empty; usage: "), text(err));
    }

    @Test
    void aMalformedBrokerIsAUsageErrorNamingIt() {
        int code = echo.run(new String[0], Map.of(BrokerChoice.ENV, "localhost:7000"), print(out), print(err));

        assertEquals(2, code);
        assertTrue(text(err).startsWith("EchoWorker: TASQUE_BROKER 'localhost:7000' is not a broker URI"), text(err));
        assertEquals(1, text(err).lines().count(), text(err));
    }

    @Test
    void helpPrintsTheUsage() {
        assertEquals(0, echo.run(new String[] {"--help"}, Map.of(), print(out), print(err)));
        assertEquals("usage: " + USAGE + System.lineSeparator(), text(out));
    }

    @Test
    void needsAHandlerAndASubmitHint() {
        assertThrows(IllegalStateException.class, () -> WorkerMain.builder("W", "W").submitHint("E", "x").build());
        assertThrows(IllegalStateException.class,
                () -> WorkerMain.builder("W", "W").handle("t", args -> null).build());
    }

    /** Runs the main on its own thread, as a process would. */
    private Running start(String[] args, Map<String, String> env) {
        Running running = new Running();
        running.thread = new Thread(() -> running.code = echo.run(args, env, print(out), print(err)), "worker-main");
        running.thread.start();
        return running;
    }

    private static final class Running {
        Thread thread;
        volatile int code = -1;

        /** Interrupts the main and returns its exit code. */
        int interrupt() throws InterruptedException {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(!thread.isAlive(), "the worker main did not stop");
            return code;
        }
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
