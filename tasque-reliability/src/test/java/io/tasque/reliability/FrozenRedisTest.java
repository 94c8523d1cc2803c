package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.BrokerException;
import io.tasque.client.CircuitBreakerSettings;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.CallLoad;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 3: Redis frozen with SIGSTOP for longer than the enqueue timeout while jobs are submitted and
 * worked, then thawed. Submits in the window fail fast, naming the broker; the circuit breaker opens and
 * recovers by itself; every submit that returned an id completes; the workers log each state change once.
 */
@WithRedis
@Tag("slow")
class FrozenRedisTest {

    private static final Duration ENQUEUE_TIMEOUT = Duration.ofSeconds(1);
    /** The fault: Redis answers nothing for this long. */
    private static final Duration FROZEN_FOR = Duration.ofSeconds(4);
    /** What a loaded two-core machine may add to a call on top of its timeout. */
    private static final Duration SCHEDULING_SLACK = Duration.ofMillis(1500);
    /** Breaker tuned to a four-second outage: opens on 2 failures of the last 4, stays open 1 s, then 2 trial calls. */
    private static final CircuitBreakerSettings BREAKER =
            new CircuitBreakerSettings(true, 50f, 4, 4, Duration.ofSeconds(1), 2);

    private final RedisServer redis;
    private Scenario scenario;

    FrozenRedisTest(RedisServer redis) {
        this.redis = redis;
    }

    @AfterEach
    void tearDown() {
        redis.resume();
        scenario.close();
    }

    @Test
    void submitsDuringTheFreezeFailFastNamingTheBrokerAndEverySubmitThatReturnedAnIdCompletes() throws Exception {
        scenario = new Scenario("3-sigstop-redis", redis,
                TasqueClient.builder().broker(redis.uri()).enqueueTimeout(ENQUEUE_TIMEOUT).circuitBreaker(BREAKER));
        WorkerProcess a = scenario.start(scenario.worker("A").sleep(Duration.ofMillis(20)));
        WorkerProcess b = scenario.start(scenario.worker("B").sleep(Duration.ofMillis(20)));
        CallLoad submitter = CallLoad.of(n -> scenario.client().submit(Behaviour.plain(n))).threads(4)
                .pause(Duration.ofMillis(20)).threadName("submitter").start();
        await().atMost(Duration.ofSeconds(30)).until(() -> submitter.succeeded() >= 100);

        redis.pause();
        Thread.sleep(FROZEN_FOR.toMillis());
        redis.resume();
        int beforeThaw = submitter.succeeded();
        await().atMost(Duration.ofSeconds(30)).until(() -> submitter.succeeded() >= beforeThaw + 100);
        submitter.close();

        Accounting accounting = scenario.settle(submitter.results(), Duration.ofMinutes(2)).assertNothingLost().assertNoneDead();

        List<CallLoad.Failure> failures = submitter.failures();
        assertFalse(failures.isEmpty(), "submits during the freeze failed");
        for (CallLoad.Failure f : failures) {
            assertInstanceOf(BrokerException.class, f.error());
            assertTrue(f.error().getMessage().startsWith("redis://127.0.0.1:" + redis.port()), f.error().getMessage());
        }
        assertTrue(submitter.longestCall().compareTo(ENQUEUE_TIMEOUT.plus(SCHEDULING_SLACK)) < 0,
                "no submit hangs: the longest took " + submitter.longestCall().toMillis() + " ms");
        long failedFast = failures.stream().filter(f -> f.error().getMessage().contains("failing fast")).count();
        assertTrue(failedFast > 0, "the circuit opened and failed submits fast");
        assertTrue(failures.stream().filter(f -> f.error().getMessage().contains("failing fast"))
                .allMatch(f -> f.took().toMillis() < 500), "an open circuit answers at once, without waiting for Redis");
        OutageLog.assertOneLinePerStateChange(a, 1);
        OutageLog.assertOneLinePerStateChange(b, 1);
        String summary = "3-sigstop-redis: " + failures.size() + " submits failed (" + failedFast
                + " fast, circuit open); longest submit " + submitter.longestCall().toMillis() + " ms; "
                + accounting.completedUnsubmitted() + " submit(s) that timed out were stored anyway and ran";
        System.out.println(summary);
        Accounting.report(summary);
    }
}
