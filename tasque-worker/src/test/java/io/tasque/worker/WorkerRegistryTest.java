package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.WorkerDirectory;
import io.tasque.client.WorkerInfo;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Workers list themselves in the broker's {@code <prefix>:workers} hash on a real Redis: an entry appears at start,
 * its running count and heartbeat follow the worker, and it is removed when the worker stops.
 */
@WithRedis
class WorkerRegistryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final RedisServer redis;
    private final WorkerFixture fixture;

    WorkerRegistryTest(RedisServer redis) {
        this.redis = redis;
        this.fixture = new WorkerFixture(redis);
    }

    @AfterEach
    void closeAll() {
        fixture.close();
    }

    private List<WorkerInfo> workers() {
        return fixture.client().admin().workers();
    }

    @Test
    void aStartedWorkerIsListedWithItsHostPidConcurrencyAndQueuesAndUnlistedWhenItStops() {
        long before = System.currentTimeMillis();
        Worker w = fixture.start(fixture.builder().concurrency(3).handle("a", t -> { }).handle("b", t -> { }));

        await().atMost(WAIT).until(() -> workers().size() == 1);
        WorkerInfo info = workers().get(0);
        assertEquals(ProcessHandle.current().pid(), info.pid());
        assertEquals(3, info.concurrency());
        assertEquals(List.of("a", "b"), info.queues());
        assertTrue(info.id().startsWith(info.host() + ":" + info.pid() + ":"), info.id());
        assertTrue(info.started().toEpochMilli() >= before, info.toString());
        assertTrue(info.heartbeat().toEpochMilli() >= info.started().toEpochMilli(), info.toString());
        assertTrue(redis.command("HEXISTS", "tasque:workers", info.id()).contains("1"), "stored under tasque:workers");

        w.close();
        assertEquals(List.of(), workers(), "a stopped worker removes its entry");
    }

    @Test
    void theEntryIsRewrittenOnEveryBeatWithTheJobsRunning() {
        Broker broker = Brokers.open(redis.uri(), BrokerOptions.defaults());
        try {
            WorkerConfig config = fixture.builder().concurrency(2).handle("q", t -> { }).config();
            int[] running = {0};
            WorkerRegistry registry = new WorkerRegistry(config, broker.capability(WorkerDirectory.class).orElseThrow(),
                    () -> running[0], new BrokerHealth(broker.describe(), Clock.systemUTC()), Duration.ofMillis(100));
            registry.start();
            await().atMost(WAIT).until(() -> workers().size() == 1 && workers().get(0).running() == 0);
            Instant first = workers().get(0).heartbeat();

            running[0] = 2;
            await().atMost(WAIT).until(() -> workers().get(0).running() == 2);
            assertTrue(workers().get(0).heartbeat().isAfter(first), "the heartbeat moves on");

            assertTrue(registry.stop(WAIT));
            assertEquals(List.of(), workers());
        } finally {
            broker.close();
        }
    }

    @Test
    void aWorkerRunningJobsIsListedWithThemWhileTheyRun() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        fixture.start(fixture.builder().concurrency(4).handle("slow", t -> {
            started.countDown();
            release.await();
        }));
        fixture.client().submit(Task.of("slow"));
        fixture.client().submit(Task.of("slow"));
        assertTrue(started.await(20, TimeUnit.SECONDS));
        // the worker beats every 5 s: the next beat after both jobs started carries them
        await().atMost(WAIT).until(() -> workers().size() == 1 && workers().get(0).running() == 2);
        release.countDown();
    }

    @Test
    void aWorkerThatDiedWithoutStoppingIsGoneAfterSixtySecondsAndCanBeForgotten() {
        String stale = new io.tasque.broker.WorkerBeat("h", 42, 1, 0, List.of("q"),
                System.currentTimeMillis() - 61_000, System.currentTimeMillis() - 3_600_000).json();
        redis.command("HSET", "tasque:workers", "h:42:dead", stale);

        WorkerInfo info = workers().get(0);
        assertTrue(info.goneAt(Instant.now()), info.toString());
        assertTrue(fixture.client().admin().forgetWorker("h:42:dead"));
        assertEquals(List.of(), workers());
    }
}
