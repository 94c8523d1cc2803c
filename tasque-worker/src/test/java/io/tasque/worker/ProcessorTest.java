package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.Delivery;
import io.tasque.broker.OutgoingJob;
import io.tasque.broker.QueueStats;
import io.tasque.client.TasqueClient;
import io.tasque.retry.RetryPolicy;
import io.tasque.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The processor on an in-memory broker: it runs a job to an {@link Outcome} and returns it without telling the
 * broker anything, and a handler timeout never interrupts the thread's next job.
 */
class ProcessorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(7);

    /** Keeps what is scheduled on it without running it; the test fires the tasks when it chooses. */
    private static final class HeldTimers extends ScheduledThreadPoolExecutor {
        final List<Runnable> tasks = new CopyOnWriteArrayList<>();

        HeldTimers() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            tasks.add(task);
            return super.schedule(() -> { }, 1, TimeUnit.HOURS);
        }
    }

    private final String uri = "memory://processor-" + UUID.randomUUID();
    private final ManualClock clock = ManualClock.startingNow();
    private final Broker broker = Brokers.open(uri, BrokerOptions.builder().clock(clock).build());
    private final TasqueClient client = TasqueClient.builder().broker(uri).clock(clock).build();
    private final InFlight inFlight = new InFlight();
    private final HeldTimers timers = new HeldTimers();
    /** What the processor handed to its settler: runs it gave up on. */
    private final List<Outcome> givenUp = new CopyOnWriteArrayList<>();
    private WorkerConfig config;
    private Processor processor;

    @AfterEach
    void closeAll() {
        if (processor != null) {
            processor.stop(WAIT);
        }
        timers.shutdownNow();
        client.close();
        broker.close();
    }

    /** A processor of one handler thread for tasks named {@code name}. */
    private Processor processor(String name, TaskHandler body, HandlerOptions options) {
        config = Worker.builder().broker(broker).clock(clock).concurrency(1).shutdownHook(false)
                .retryPolicy(RetryPolicy.fixed(RETRY_DELAY)).handle(name, body, options).config();
        processor = new Processor(config, broker.codec(Integer.MAX_VALUE), inFlight, new WorkerMetrics(null, inFlight::size), timers,
                (run, handler, outcome) -> givenUp.add(outcome));
        return processor;
    }

    private InFlight.Run leased(String queue) {
        List<Delivery> leased = broker.reserve(List.of(queue), 1, Duration.ofSeconds(30)).deliveries();
        assertEquals(1, leased.size());
        return inFlight.add(leased.get(0));
    }

    /** Runs one job of {@code name} on the calling thread and returns its outcome. */
    private Outcome runOne(String name) {
        return processor.run(leased(name), config.handlers().get(name));
    }

    @Test
    void aHandlerThatReturnsSucceedsAndTheJobIsLeftForTheAckerToAck() {
        processor("ok", task -> { }, HandlerOptions.INHERIT);
        client.submit(Task.of("ok"));

        assertEquals(Outcome.SUCCEEDED, runOne("ok"));
        assertEquals(new QueueStats("ok", 0, 0, 1, 0), broker.stats("ok"), "the processor told the broker nothing; the job is still leased");
    }

    @Test
    void aFailedAttemptIsARetryDueThePolicysDelayLaterWithTheError() {
        processor("flaky", task -> {
            throw new IllegalStateException("down for now");
        }, HandlerOptions.INHERIT);
        client.submit(Task.of("flaky"));

        Outcome.Retry retry = assertInstanceOf(Outcome.Retry.class, runOne("flaky"));
        assertEquals(clock.millis() + RETRY_DELAY.toMillis(), retry.dueAtMillis());
        assertEquals(RETRY_DELAY, retry.delay());
        assertTrue(retry.error().startsWith("java.lang.IllegalStateException: down for now"), retry.error());
        assertEquals(new QueueStats("flaky", 0, 0, 1, 0), broker.stats("flaky"), "nothing was sent to the broker");
    }

    @Test
    void theLastFailedAttemptIsBuriedWithTheLastError() {
        processor("doomed", task -> {
            throw new IllegalStateException("no");
        }, HandlerOptions.builder().maxAttempts(1).build());
        client.submit(Task.of("doomed"));

        Outcome.Bury bury = assertInstanceOf(Outcome.Bury.class, runOne("doomed"));
        assertTrue(bury.reason().startsWith("failed 1 of 1 attempts; last error: java.lang.IllegalStateException: no"), bury.reason());
    }

    @Test
    void anUndecodablePayloadIsBuriedWithoutRunningTheHandler() {
        AtomicBoolean ran = new AtomicBoolean();
        processor("poison", task -> ran.set(true), HandlerOptions.INHERIT);
        broker.enqueue(List.of(new OutgoingJob("poison", "bad", "{\"v\":1,\"na".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0)));

        Outcome.Bury bury = assertInstanceOf(Outcome.Bury.class, runOne("poison"));
        assertTrue(bury.reason().startsWith("undecodable payload: "), bury.reason());
        assertFalse(ran.get());
    }

    @Test
    void aJobOfAQueueWithoutAHandlerIsToBeReleased() {
        processor("mine", task -> { }, HandlerOptions.INHERIT);
        client.submit(Task.of("theirs"));

        assertEquals(Outcome.RELEASE, processor.run(leased("theirs"), null));
    }

    @Test
    void aRunHandedBackBeforeItStartedIsAlreadySettled() {
        AtomicBoolean ran = new AtomicBoolean();
        processor("held", task -> ran.set(true), HandlerOptions.INHERIT);
        client.submit(Task.of("held"));
        InFlight.Run run = leased("held");

        assertEquals(InFlight.Run.Released.NOT_STARTED, run.release());
        assertEquals(Outcome.ALREADY_SETTLED, processor.run(run, config.handlers().get("held")));
        assertFalse(ran.get(), "the handler never ran");
    }

    @Test
    void aTimeoutFiringAfterItsHandlerReturnedDoesNotInterruptTheThreadsNextJob() throws Exception {
        CountDownLatch secondRunning = new CountDownLatch(1);
        CountDownLatch finishSecond = new CountDownLatch(1);
        AtomicBoolean secondInterrupted = new AtomicBoolean();
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        processor("quick", task -> {
            if (task.param("i", Integer.class) == 2) {
                secondRunning.countDown();
                try {
                    finishSecond.await();
                } catch (InterruptedException e) {
                    secondInterrupted.set(true);
                    throw e;
                }
            }
        }, HandlerOptions.builder().timeout(Duration.ofSeconds(5)).build()).start();
        Handler handler = config.handlers().get("quick");
        client.submit(Task.of("quick").set("i", 1));
        InFlight.Run first = leased("quick");
        processor.execute(List.of(() -> outcomes.add(processor.run(first, handler))), true);
        await().atMost(WAIT).until(() -> outcomes.size() == 1);
        assertEquals(1, timers.tasks.size(), "the first run's timeout was scheduled");

        client.submit(Task.of("quick").set("i", 2));
        InFlight.Run second = leased("quick");
        processor.execute(List.of(() -> outcomes.add(processor.run(second, handler))), true);
        assertTrue(secondRunning.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        timers.tasks.get(0).run(); // the first run's timer, late: it was already running when the handler returned
        finishSecond.countDown();

        await().atMost(WAIT).until(() -> outcomes.size() == 2);
        assertFalse(secondInterrupted.get(), "the first job's timeout interrupted the second job");
        assertEquals(List.of(Outcome.SUCCEEDED, Outcome.SUCCEEDED), outcomes);
        assertEquals(List.of(), givenUp, "no run was given up");
    }
}
