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
 * Crash loops with real worker processes: a job that kills its worker (Runtime.halt) or freezes it (SIGSTOP
 * to itself) on every run ends in the dead letter with "lease expired N times" after N runs, one that calls
 * System.exit with "process exited while the handler ran" as its last error, each run told its true attempt
 * number, while the other jobs complete.
 */
@WithRedis
@Tag("slow")
class CrashLoopProcessTest {

    private static final int PLAIN = 30;

    private final RedisServer redis;
    private Scenario scenario;

    CrashLoopProcessTest(RedisServer redis) {
        this.redis = redis;
    }

    @AfterEach
    void tearDown() {
        scenario.close();
    }

    @Test
    void aJobThatKillsItsWorkerOnEveryRunEndsInTheDeadLetter() {
        scenario = new Scenario("crash-loop-kill", redis);
        // one job at a time per worker, so the crashing job never takes a plain one down with it
        ChildSettings settings = scenario.worker("A").concurrency(1).maxAttempts(3);
        scenario.start(settings);
        scenario.start(settings.named("B"));
        scenario.fleet().keepRunning();
        assertCrashLoopEndsDead(Behaviour.CRASH, 3, "lease expired 3 times");
    }

    @Test
    void aJobThatCallsSystemExitOnEveryRunEndsInTheDeadLetter() {
        scenario = new Scenario("crash-loop-exit", redis);
        ChildSettings settings = scenario.worker("A").concurrency(1).maxAttempts(3);
        scenario.start(settings);
        scenario.start(settings.named("B"));
        scenario.fleet().keepRunning();
        // the exit runs the shutdown hook, which would hand a running job back uncounted: here it counts
        assertCrashLoopEndsDead(Behaviour.EXIT, 3, "failed 3 of 3 attempts; last error: process exited while the handler ran");
    }

    @Test
    void aJobThatFreezesItsWorkerOnEveryRunEndsInTheDeadLetter() {
        scenario = new Scenario("crash-loop-freeze", redis);
        ChildSettings settings = scenario.worker("A").concurrency(1).maxAttempts(2);
        scenario.start(settings);
        scenario.start(settings.named("B"));
        scenario.start(settings.named("C"));
        assertCrashLoopEndsDead(Behaviour.FREEZE, 2, "lease expired 2 times");
    }

    private void assertCrashLoopEndsDead(String how, int maxAttempts, String lastError) {
        List<String> ids = new ArrayList<>();
        String bad = scenario.client().submit(Behaviour.plain(-1).set(how, true));
        ids.add(bad);
        ids.addAll(scenario.submitPlain(0, PLAIN));

        await().atMost(Duration.ofMinutes(1)).until(() -> scenario.admin().stats(ChildSettings.TASK).dead() == 1);
        Accounting accounting = scenario.settle(ids, Duration.ofMinutes(1)).assertNothingLost();
        assertEquals(1, accounting.dead(), "only the crashing job died");
        assertEquals(PLAIN, accounting.completed());

        DeadTask dead = scenario.admin().deadTasks(ChildSettings.TASK).get(0);
        assertEquals(bad, dead.id());
        assertTrue(dead.lastError().startsWith(lastError), dead.lastError());
        List<Integer> attempts = scenario.ledger().events(bad).stream().map(Ledger.Event::attempt).toList();
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= maxAttempts; i++) {
            expected.add(i);
        }
        assertEquals(expected, attempts, "each run of the crashing job was told its true attempt number");
    }
}
