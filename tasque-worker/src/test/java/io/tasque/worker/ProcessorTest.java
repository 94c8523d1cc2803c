package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.client.QueueCounts;
import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.Delivery;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The processor's bookkeeping, driven directly with jobs leased from a real Redis: what counts as in flight,
 * and whose thread a timeout may interrupt.
 */
@WithRedis
class ProcessorTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

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

    private final RedisServer redis;
    private TasqueClient client;
    private Broker broker;
    private Processor processor;
    private final InFlight inFlight = new InFlight();
    private final HeldTimers timers = new HeldTimers();

    ProcessorTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void connect() {
        client = TasqueClient.connect(redis.uri());
        broker = Brokers.open(redis.uri(), BrokerOptions.defaults());
    }

    @AfterEach
    void closeAll() {
        if (processor != null) {
            processor.stop();
        }
        timers.shutdownNow();
        broker.close();
        client.close();
    }

    /** A processor of one handler thread for {@code name}, with the given handler timeout (null: none). */
    private Processor processor(String name, TaskHandler body, Duration timeout) {
        HandlerOptions.Builder options = HandlerOptions.builder();
        if (timeout != null) {
            options.timeout(timeout);
        }
        WorkerConfig config = Worker.builder().broker(broker).concurrency(1).shutdownHook(false)
                .handle(name, body, options.build()).build().config();
        processor = new Processor(config, broker, inFlight, new WorkerMetrics(null, inFlight::size),
                new BrokerHealth(broker.describe()), timers);
        processor.start();
        return processor;
    }

    private List<Delivery> lease(String name, int n) {
        List<Delivery> leased = broker.reserve(List.of(name), n, Duration.ofSeconds(30)).deliveries();
        assertEquals(n, leased.size());
        return leased;
    }

    @Test
    void aRunHandedBackBeforeItStartedLeavesTheInFlightCount() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Processor p = processor("held", task -> {
            firstRunning.countDown();
            never.await(); // until the hand-back interrupts it
        }, null);
        client.submit(Task.of("held").set("i", 1));
        client.submit(Task.of("held").set("i", 2));
        p.dispatch(lease("held", 2), false); // one thread: the second job waits for it

        assertTrue(firstRunning.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(2, inFlight.size());
        p.releaseRemaining();

        assertTrue(p.awaitIdle(Duration.ofSeconds(5)), "both runs left the in-flight count; still there: " + inFlight.size());
        assertEquals(0, inFlight.size());
        assertEquals(new QueueCounts("held", 2, 0, 0, 0), client.admin().stats("held"), "both jobs were handed back");
    }

    @Test
    void aTimeoutFiringAfterItsHandlerReturnedDoesNotInterruptTheThreadsNextJob() throws Exception {
        CountDownLatch secondRunning = new CountDownLatch(1);
        CountDownLatch finishSecond = new CountDownLatch(1);
        AtomicBoolean secondInterrupted = new AtomicBoolean();
        Processor p = processor("quick", task -> {
            if (task.param("i", Integer.class) == 2) {
                secondRunning.countDown();
                try {
                    finishSecond.await();
                } catch (InterruptedException e) {
                    secondInterrupted.set(true);
                    throw e;
                }
            }
        }, Duration.ofSeconds(5));
        client.submit(Task.of("quick").set("i", 1));
        p.dispatch(lease("quick", 1), false);
        await().atMost(WAIT).until(() -> inFlight.size() == 0 && client.admin().stats("quick").equals(new QueueCounts("quick", 0, 0, 0, 0)));
        assertEquals(1, timers.tasks.size(), "the first run's timeout was scheduled");

        client.submit(Task.of("quick").set("i", 2));
        p.dispatch(lease("quick", 1), false);
        assertTrue(secondRunning.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        timers.tasks.get(0).run(); // the first run's timer, late: it was already running when the handler returned
        finishSecond.countDown();

        await().atMost(WAIT).until(() -> inFlight.size() == 0);
        assertFalse(secondInterrupted.get(), "the first job's timeout interrupted the second job");
        assertEquals(new QueueCounts("quick", 0, 0, 0, 0), client.admin().stats("quick"), "the second job succeeded");
    }
}
