package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.client.DeadTask;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Handlers that never return and swallow their timeout's interrupt, in a real worker process of two threads: each
 * such run is declared stuck after the stuck grace (10 s), logged, settled as a failed attempt and its thread
 * replaced, so the other jobs complete and the stuck ones end in the dead letter after their attempts.
 */
@WithRedis
@Tag("slow")
class StuckHandlerProcessTest {

    private static final int PLAIN = 30;

    private final RedisServer redis;
    private Scenario scenario;

    StuckHandlerProcessTest(RedisServer redis) {
        this.redis = redis;
    }

    @AfterEach
    void tearDown() {
        scenario.close();
    }

    @Test
    void twoHandlersThatNeverReturnDoNotStallAWorkerOfTwo() {
        scenario = new Scenario("stuck-handlers", redis);
        // the default 30 s lease outlasts the 10 s stuck grace, so a stuck run is settled by its worker, not by lease expiry
        WorkerProcess worker = scenario.start(scenario.worker("A").concurrency(2).maxAttempts(2).lease(Duration.ofSeconds(30))
                .timeout(Duration.ofMillis(500)));
        List<String> stuck = new ArrayList<>();
        stuck.add(scenario.client().submit(Behaviour.plain(-1).set(Behaviour.HANG, true)));
        stuck.add(scenario.client().submit(Behaviour.plain(-2).set(Behaviour.HANG, true)));
        await().atMost(Duration.ofSeconds(20)).until(() -> scenario.admin().stats(ChildSettings.TASK).running() == 2);
        List<String> ids = new ArrayList<>(stuck);
        ids.addAll(scenario.submitPlain(0, PLAIN));

        Accounting accounting = scenario.settle(ids, Duration.ofMinutes(2)).assertNothingLost();
        assertEquals(PLAIN, accounting.completed(), "every plain job completed although both threads got stuck twice");
        assertEquals(2, accounting.dead(), "only the stuck jobs died");
        for (DeadTask dead : scenario.admin().deadTasks(ChildSettings.TASK)) {
            assertTrue(stuck.contains(dead.id()), dead.id());
            assertEquals(2, dead.attempts());
            assertTrue(dead.lastError().startsWith("failed 2 of 2 attempts; last error: handler stuck: it ignored the interrupt "
                    + "at its timeout of PT0.5S and had not returned PT10S later"), dead.lastError());
        }
        assertEquals(4, worker.linesContaining("(task job) is stuck: its handler has been running for"),
                "one warning per stuck run:\n" + worker.log());
        assertTrue(worker.isAlive());
    }
}
