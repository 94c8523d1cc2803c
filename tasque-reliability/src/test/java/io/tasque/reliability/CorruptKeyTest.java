package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A queue's ready key overwritten with a string while two worker processes work it, then repaired: the workers
 * call it a broken queue (once each), not an unreachable broker, touch none of its jobs meanwhile, and finish
 * every job after the repair with none lost and none dead.
 */
@WithRedis
@Tag("slow")
class CorruptKeyTest {

    /** Moves the ready list aside and puts a string in its place, in one step. */
    private static final String CORRUPT = "redis.call('RENAME', KEYS[1], KEYS[2]) redis.call('SET', KEYS[1], 'x') return 1";
    /** Puts the ready list back, in one step. */
    private static final String REPAIR = "redis.call('DEL', KEYS[1]) if redis.call('EXISTS', KEYS[2]) == 1 then "
            + "redis.call('RENAME', KEYS[2], KEYS[1]) end return 1";
    private static final String READY = "tasque:{" + ChildSettings.TASK + "}:ready";
    private static final String SAVED = "tasque:{" + ChildSettings.TASK + "}:ready-saved";

    private final RedisServer redis;
    private Scenario scenario;

    CorruptKeyTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void setUp() {
        scenario = new Scenario("corrupt-key", redis);
    }

    @AfterEach
    void tearDown() {
        scenario.close();
    }

    @Test
    void aWrongTypedReadyKeyHoldsTheQueueUntilRepairedAndLosesNothing() {
        WorkerProcess a = scenario.start(scenario.worker("A").sleep(Duration.ofMillis(20)));
        WorkerProcess b = scenario.start(scenario.worker("B").sleep(Duration.ofMillis(20)));
        List<String> ids = new ArrayList<>(scenario.submitPlain(0, 800));
        await().atMost(Duration.ofSeconds(60)).until(() -> scenario.ledger().completions().size() >= 100);

        redis.command("EVAL", CORRUPT, "2", READY, SAVED);
        await().atMost(Duration.ofSeconds(30)).until(() -> a.linesContaining("cannot be served") == 1
                && b.linesContaining("cannot be served") == 1);
        int heldAt = scenario.ledger().completions().size();
        // the fault lasts a while: both workers keep calling (their backoff grows) and take nothing
        long calls = scriptCalls();
        await().atMost(Duration.ofSeconds(30)).until(() -> scriptCalls() >= calls + 20);
        assertEquals(heldAt, scenario.ledger().completions().size(), "no job of the broken queue ran meanwhile");

        redis.command("EVAL", REPAIR, "2", READY, SAVED);
        scenario.settle(ids, Duration.ofMinutes(2)).assertNothingLost().assertNoneDead();
        for (WorkerProcess w : List.of(a, b)) {
            assertEquals(0, w.linesContaining(OutageLog.DOWN), w.name() + " never called the broker unreachable");
            assertEquals(1, w.linesContaining("cannot be served"), w.name() + " logged the broken queue once");
            assertEquals(1, w.linesContaining("can be served again"), w.name() + " logged the repair once");
        }
    }

    /** Script calls the server has run so far (INFO commandstats), to see the workers keep trying. */
    private long scriptCalls() {
        for (String line : redis.command("INFO", "commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:calls=")) {
                return Long.parseLong(line.substring("cmdstat_evalsha:calls=".length(), line.indexOf(',')));
            }
        }
        return 0;
    }
}
