package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.Housekeeper;
import io.tasque.broker.Delivery;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.LogCapture;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import io.tasque.worker.Worker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fencing, in one JVM: a worker whose job was taken over by another owner (its lease declared expired,
 * reclaimed and leased again) is refused by the broker for its heartbeat and for its outcome — ack, retry
 * or dead-letter — changes nothing, and logs the loss once.
 */
@WithRedis
class FencingTest {

    /** How the stale run ends once it is let go. */
    enum StaleOutcome { RETURNS, THROWS_AND_WOULD_RETRY, THROWS_AND_WOULD_DEAD_LETTER }

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RedisServer redis;
    private TasqueClient client;
    private Worker worker;
    private LogCapture log;

    FencingTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void setUp() {
        client = TasqueClient.connect(redis.uri());
        log = LogCapture.start();
    }

    @AfterEach
    void tearDown() {
        log.close();
        if (worker != null) {
            worker.close();
        }
        client.close();
    }

    @ParameterizedTest(name = "stale run {0}")
    @EnumSource(StaleOutcome.class)
    void aStaleOwnerIsRefusedChangesNothingAndLogsTheLossOnce(StaleOutcome outcome) throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        worker = Worker.builder().broker(redis.uri()).shutdownHook(false).gracePeriod(Duration.ZERO)
                .concurrency(1).lease(Duration.ofSeconds(60)).heartbeat(Duration.ofMillis(100))
                .janitorInterval(Duration.ofHours(1))
                .maxAttempts(outcome == StaleOutcome.THROWS_AND_WOULD_DEAD_LETTER ? 1 : 5)
                .handle(ChildSettings.TASK, task -> {
                    running.countDown();
                    letGo.await();
                    if (outcome != StaleOutcome.RETURNS) {
                        throw new IllegalStateException("the stale run failed");
                    }
                })
                .build().start();
        String id = client.submit(Task.of(ChildSettings.TASK));
        assertTrue(running.await(30, TimeUnit.SECONDS));

        // another owner takes the job over: a broker whose clock runs an hour ahead sees the lease expired
        try (Broker later = Brokers.open(redis.uri(), BrokerOptions.builder()
                .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(1))).build())) {
            assertEquals(1, later.capability(Housekeeper.class).orElseThrow().housekeep(List.of(ChildSettings.TASK)).reclaimed());
            Delivery takeover = later.reserve(List.of(ChildSettings.TASK), 1, Duration.ofMinutes(5)).deliveries().get(0);
            assertEquals(2, takeover.attempt());

            await().atMost(WAIT).until(() -> !log.linesContaining(id).isEmpty());
            letGo.countDown();
            await().atMost(WAIT).until(() -> worker.inFlight() == 0);

            assertEquals("1", redis.command("HGET", TasqueKeys.ATTEMPTS, id),
                    "one run is over (the expired one), so the new owner's token, attempt 2, stands");
            assertNotNull(redis.command("ZSCORE", TasqueKeys.LEASED, id), "the job is still leased by the new owner");
            assertNull(redis.command("ZSCORE", TasqueKeys.DELAYED, id), "the stale run scheduled no retry");
            assertNull(redis.command("ZSCORE", TasqueKeys.DEAD, id), "the stale run dead-lettered nothing");
            assertNull(redis.command("HGET", TasqueKeys.ERRORS, id), "the stale run recorded no error");
            assertNotNull(redis.command("HGET", TasqueKeys.JOBS, id), "the payload is intact");
            assertTrue(later.ack(List.of(takeover))[0], "the new owner acks the job");
        }
        assertEquals("0", redis.command("EXISTS", TasqueKeys.JOBS));
        List<String> lines = log.linesContaining(id);
        assertEquals(1, lines.size(), "the stale owner logs the loss of job " + id + " once: " + lines);
    }
}
