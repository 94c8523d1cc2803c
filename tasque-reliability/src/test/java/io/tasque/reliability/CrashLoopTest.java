package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.client.QueueCounts;
import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.Housekeeper;
import io.tasque.client.DeadTask;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import io.tasque.worker.Worker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Crash loops, in one JVM: every lease that ran out counts as an attempt, so a job whose runs keep dying ends
 * in the dead letter ("lease expired N times") instead of circling forever, and a handler is told the true
 * attempt number. The owners that die here are bare broker leases that are never settled, reclaimed by a
 * broker whose clock runs ahead; {@link CrashLoopProcessTest} does the same with real processes.
 */
@WithRedis
class CrashLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> QUEUE = List.of(ChildSettings.TASK);

    private final RedisServer redis;
    private TasqueClient client;
    private Broker owner;
    private Broker janitorAnHourLater;
    private Worker worker;

    CrashLoopTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void setUp() {
        client = TasqueClient.connect(redis.uri());
        owner = Brokers.open(redis.uri(), BrokerOptions.defaults());
        janitorAnHourLater = Brokers.open(redis.uri(), BrokerOptions.builder()
                .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(1))).build());
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        owner.close();
        janitorAnHourLater.close();
        client.close();
    }

    @Test
    void everyExpiredLeaseCountsAsAnAttemptAndTheHandlerIsToldTheTrueNumber() {
        client.submit(Task.of(ChildSettings.TASK));
        dieHoldingTheJob(3);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        worker = Worker.builder().broker(redis.uri()).shutdownHook(false).maxAttempts(10)
                .handle(ChildSettings.TASK, task -> seen.add(task.attempt())).build().start();
        await().atMost(WAIT).until(() -> client.admin().stats(ChildSettings.TASK).equals(new QueueCounts(ChildSettings.TASK, 0, 0, 0, 0)));
        assertEquals(List.of(4), seen, "three runs died, so the handler's run is attempt 4");
    }

    @Test
    void aJobWhoseRunsDiedMaxAttemptsTimesIsDeadLetteredWithoutRunningAgain() {
        String id = client.submit(Task.of(ChildSettings.TASK));
        dieHoldingTheJob(3);
        AtomicInteger runs = new AtomicInteger();
        worker = Worker.builder().broker(redis.uri()).shutdownHook(false).maxAttempts(3)
                .handle(ChildSettings.TASK, task -> runs.incrementAndGet()).build().start();
        await().atMost(WAIT).until(() -> client.admin().stats(ChildSettings.TASK).dead() == 1);
        DeadTask dead = client.admin().deadTasks(ChildSettings.TASK).get(0);
        assertEquals(id, dead.id());
        assertTrue(dead.lastError().startsWith("lease expired 3 times"), dead.lastError());
        assertEquals(0, runs.get(), "the handler never ran a fourth time");
    }

    /** {@code times} times: lease the job, never settle it, and let the lease be reclaimed as expired. */
    private void dieHoldingTheJob(int times) {
        for (int i = 1; i <= times; i++) {
            assertEquals(i, owner.reserve(QUEUE, 1, Duration.ofSeconds(30)).deliveries().get(0).attempt());
            assertEquals(1, janitorAnHourLater.capability(Housekeeper.class).orElseThrow().housekeep(QUEUE).reclaimed());
        }
    }
}
