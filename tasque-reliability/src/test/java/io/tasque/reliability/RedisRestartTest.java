package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.BrokerException;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.CallLoad;
import io.tasque.testkit.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4: Redis with {@code appendfsync always} killed with SIGKILL under load and restarted on the same
 * port and directory. Every submit that returned an id completes; the workers reconnect by themselves.
 */
@Tag("slow")
class RedisRestartTest {

    private static final Duration ENQUEUE_TIMEOUT = Duration.ofSeconds(1);
    /** The fault: Redis is gone for this long before it restarts. */
    private static final Duration DOWN_FOR = Duration.ofSeconds(3);
    private static final Duration SCHEDULING_SLACK = Duration.ofMillis(1500);

    private RedisServer redis;
    private Scenario scenario;

    @BeforeEach
    void setUp() {
        redis = RedisServer.builder().appendOnly("always").start();
        scenario = new Scenario("4-sigkill-redis-aof-always", redis,
                TasqueClient.builder().broker(redis.uri()).enqueueTimeout(ENQUEUE_TIMEOUT));
    }

    @AfterEach
    void tearDown() {
        try {
            scenario.close();
        } finally {
            redis.close();
        }
    }

    @Test
    void everySubmitThatReturnedAnIdCompletesAndWorkersReconnectByThemselves() throws Exception {
        WorkerProcess a = scenario.start(scenario.worker("A").sleep(Duration.ofMillis(20)));
        WorkerProcess b = scenario.start(scenario.worker("B").sleep(Duration.ofMillis(20)));
        CallLoad submitter = CallLoad.of(n -> scenario.client().submit(Behaviour.plain(n))).threads(4)
                .pause(Duration.ofMillis(20)).threadName("submitter").start();
        await().atMost(Duration.ofSeconds(30)).until(() -> submitter.succeeded() >= 100);

        redis.kill();
        Thread.sleep(DOWN_FOR.toMillis());
        redis.restart();
        int beforeRestart = submitter.succeeded();
        await().atMost(Duration.ofSeconds(30)).until(() -> submitter.succeeded() >= beforeRestart + 100);
        submitter.close();

        Accounting accounting = scenario.settle(submitter.results(), Duration.ofMinutes(2)).assertNothingLost().assertNoneDead();

        assertFalse(submitter.failures().isEmpty(), "submits while Redis was down failed");
        for (CallLoad.Failure f : submitter.failures()) {
            assertInstanceOf(BrokerException.class, f.error());
            assertTrue(f.error().getMessage().startsWith("redis://127.0.0.1:" + redis.port()), f.error().getMessage());
        }
        assertTrue(submitter.longestCall().compareTo(ENQUEUE_TIMEOUT.plus(SCHEDULING_SLACK)) < 0,
                "no submit hangs: the longest took " + submitter.longestCall().toMillis() + " ms");
        assertTrue(a.isAlive() && b.isAlive(), "the workers rode out the restart");
        OutageLog.assertOneLinePerStateChange(a, 1);
        OutageLog.assertOneLinePerStateChange(b, 1);
        String summary = "4-sigkill-redis-aof-always: " + submitter.failures().size() + " submits failed while Redis was down; "
                + "longest submit " + submitter.longestCall().toMillis() + " ms; "
                + accounting.completedUnsubmitted() + " submit(s) that failed were stored anyway and ran";
        System.out.println(summary);
        Accounting.report(summary);
    }

    @Test
    void aClientIdleDuringTheRestartSubmitsAgainOnceRedisIsBack() {
        TasqueClient client = scenario.client();
        for (int i = 0; i < 4; i++) {
            client.submit(Behaviour.plain(i));
        }
        redis.kill();
        redis.restart();
        String id = client.submit(Behaviour.plain(4));
        assertEquals(5, scenario.admin().stats(ChildSettings.TASK).ready(), "all five jobs are stored, " + id + " among them");
    }
}
