package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.Delivery;
import io.tasque.broker.QueueStats;
import io.tasque.client.TasqueClient;
import io.tasque.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lease loop on an in-memory broker: it leases jobs, runs them and tells the broker each outcome (ack, retry,
 * dead letter, hand back), and its stop goes quiet, lets running jobs finish within the grace, hands back the rest
 * uncounted, and sends the acks still queued.
 */
class LeaseLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final String uri = "memory://lease-loop-" + UUID.randomUUID();
    private final Broker broker = Brokers.open(uri, BrokerOptions.defaults());
    private final TasqueClient client = TasqueClient.connect(uri);
    private final InFlight inFlight = new InFlight();
    private LeaseLoop loop;

    @AfterEach
    void closeAll() {
        if (loop != null) {
            loop.stop(WAIT);
        }
        client.close();
        broker.close();
    }

    /** A lease loop over the queue {@code q}, with {@code concurrency} handler threads. */
    private LeaseLoop loop(int concurrency, TaskHandler body) {
        WorkerConfig config = Worker.builder().broker(broker).concurrency(concurrency).shutdownHook(false)
                .idleBlock(Duration.ofMillis(50)).retryPolicy(RetryPolicy.fixed(Duration.ofMinutes(5))).lease(LEASE)
                .handle("q", body).config();
        BrokerHealth health = new BrokerHealth(broker.describe(), Clock.systemUTC());
        loop = new LeaseLoop(config, broker, inFlight, new WorkerMetrics(null, inFlight::size), health,
                new QueueQuarantine(config.queues(), health), Executors.newSingleThreadScheduledExecutor());
        return loop;
    }

    private QueueStats stats(String queue) {
        return broker.stats(queue);
    }

    @Test
    void leasedJobsAreRunAndAcked() {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        loop(2, task -> ran.add(task.param("i", Integer.class))).start();
        for (int i = 0; i < 20; i++) {
            client.submit(Task.of("q").set("i", i));
        }

        await().atMost(WAIT).until(() -> ran.size() == 20 && stats("q").equals(new QueueStats("q", 0, 0, 0, 0)) && inFlight.size() == 0);
    }

    @Test
    void eachOutcomeReachesTheBroker() {
        loop(1, task -> {
            switch (task.param("then", String.class)) {
                case "fail" -> throw new IllegalStateException("try again later");
                case "give up" -> throw new PermanentFailure("never");
                default -> { }
            }
        }).start();
        client.submit(Task.of("q").set("then", "fail"));
        client.submit(Task.of("q").set("then", "give up"));
        client.submit(Task.of("q").set("then", "succeed"));

        await().atMost(WAIT).until(() -> stats("q").equals(new QueueStats("q", 0, 1, 0, 1)) && inFlight.size() == 0);
        assertTrue(client.admin().deadTasks("q").get(0).lastError().startsWith("permanent failure: never"));
    }

    @Test
    void aJobOfAQueueWithoutAHandlerIsHandedBackUncounted() {
        loop(1, task -> { }).start();
        client.submit(Task.of("other"));
        List<Delivery> leased = broker.reserve(List.of("other"), 1, LEASE).deliveries();

        loop.dispatch(leased, false);

        await().atMost(WAIT).until(() -> stats("other").equals(new QueueStats("other", 1, 0, 0, 0)) && inFlight.size() == 0);
        assertEquals(1, broker.reserve(List.of("other"), 1, LEASE).deliveries().get(0).attempt(), "the hand-back did not count");
    }

    @Test
    void quietStopsLeasingWhileRunningJobsGoOn() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        loop(2, task -> {
            running.countDown();
            finish.await();
        }).start();
        client.submit(Task.of("q"));
        assertTrue(running.await(WAIT.toSeconds(), TimeUnit.SECONDS));

        loop.quiet(); // returns once both lanes have ended: nothing leases from here on
        client.submit(Task.of("q"));
        finish.countDown();

        await().atMost(WAIT).until(() -> inFlight.size() == 0);
        assertEquals(new QueueStats("q", 1, 0, 0, 0), stats("q"), "the running job was acked; the new one was not leased");
    }

    @Test
    void stopReturnsTrueWhenRunningJobsFinishWithinTheGraceAndTheirAcksAreSent() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        loop(1, task -> {
            running.countDown();
            finish.await();
        }).start();
        client.submit(Task.of("q"));
        assertTrue(running.await(WAIT.toSeconds(), TimeUnit.SECONDS));

        AtomicReference<Boolean> stopped = new AtomicReference<>();
        Thread stopper = new Thread(() -> stopped.set(loop.stop(WAIT)));
        stopper.start();
        await().atMost(WAIT).until(() -> stopper.getState() == Thread.State.TIMED_WAITING || stopper.getState() == Thread.State.WAITING);
        finish.countDown();
        stopper.join(WAIT.toMillis());

        assertEquals(Boolean.TRUE, stopped.get());
        assertEquals(new QueueStats("q", 0, 0, 0, 0), stats("q"), "the finished job's ack was sent before stop returned");
    }

    @Test
    void jobsStillRunningOrWaitingAtTheEndOfTheGraceAreHandedBackUncounted() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        loop(1, task -> {
            running.countDown();
            try {
                new CountDownLatch(1).await(); // until the hand-back interrupts it
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        }).start();
        client.submit(Task.of("q"));
        assertTrue(running.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        client.submit(Task.of("q"));
        // the lanes hold no free slot for it, so the test leases it and hands it over; it waits for the one handler thread
        loop.dispatch(broker.reserve(List.of("q"), 1, LEASE).deliveries(), false);
        assertEquals(2, inFlight.size());

        assertFalse(loop.stop(Duration.ofMillis(200)), "a job was still running at the end of the grace");

        assertTrue(interrupted.get(), "the running handler was interrupted");
        // stop() waits a bounded while for the interrupted handler to return; on a loaded machine it may return first
        await().atMost(WAIT).until(() -> inFlight.size() == 0);
        assertEquals(new QueueStats("q", 2, 0, 0, 0), stats("q"), "the running job and the one that never started were handed back");
        for (Delivery d : broker.reserve(List.of("q"), 2, LEASE).deliveries()) {
            assertEquals(1, d.attempt(), "a hand-back does not count the attempt");
        }
    }
}
