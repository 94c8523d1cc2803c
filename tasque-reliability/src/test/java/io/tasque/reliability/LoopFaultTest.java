package io.tasque.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Broker calls that throw what no broker should (a bug, an Error) now and then, in two worker processes under
 * load: every loop logs the failure, backs off and goes on; no job is lost and none dies of it.
 */
@WithRedis
@Tag("slow")
class LoopFaultTest {

    private final RedisServer redis;
    private Scenario scenario;

    LoopFaultTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void setUp() {
        scenario = new Scenario("loop-faults", redis);
    }

    @AfterEach
    void tearDown() {
        scenario.close();
    }

    @Test
    void brokerCallsThatThrowNowAndThenLoseNoJobAndStopNoWorker() {
        WorkerProcess a = scenario.start(scenario.worker("A").sleep(Duration.ofMillis(5)).failEvery(25));
        WorkerProcess b = scenario.start(scenario.worker("B").sleep(Duration.ofMillis(5)).failEvery(40));
        List<String> ids = scenario.submitPlain(0, 1000);

        scenario.settle(ids, Duration.ofMinutes(2)).assertNothingLost().assertNoneDead();
        for (WorkerProcess w : List.of(a, b)) {
            assertTrue(w.isAlive(), w + " still runs");
            assertTrue(w.linesContaining(FaultyBroker.INJECTED) > 0, w.name() + " met injected faults");
            assertTrue(w.linesContaining("failed unexpectedly") > 0, w.name() + " logged them");
            assertTrue(w.linesContaining("stopping the worker") == 0, w.name() + " was not stopped");
        }
    }
}
