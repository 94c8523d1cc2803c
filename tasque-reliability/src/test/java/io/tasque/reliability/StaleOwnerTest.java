package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tasque.Task;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 2 (fencing): a worker frozen with SIGSTOP past its lease loses its jobs to another worker; when it
 * thaws, its heartbeats, acks and dead-letter calls for those jobs are refused and change nothing.
 */
@WithRedis
@Tag("slow")
class StaleOwnerTest {

    /** How long A stays frozen: well past its 2 s lease, so B's janitor reclaims A's jobs. */
    private static final Duration FROZEN_FOR_AT_LEAST = Duration.ofSeconds(5);
    private static final int STALE = 4;
    private static final int TOTAL = 100;

    private final RedisServer redis;
    private Scenario scenario;

    StaleOwnerTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void setUp() {
        scenario = new Scenario("2-sigstop-worker-past-lease", redis);
    }

    @AfterEach
    void tearDown() {
        scenario.close();
    }

    @Test
    void aThawedStaleOwnerIsRefusedEverywhereLogsEachJobOnceAndCorruptsNothing() throws Exception {
        // A gives up after one attempt, so a failed run on A would dead-letter its job at once — if A still owned it
        WorkerProcess a = scenario.start(scenario.worker("A").concurrency(STALE).maxAttempts(1));
        List<String> stale = new ArrayList<>();
        for (int i = 0; i < STALE; i++) {
            Task t = Behaviour.working(i, 3000);
            if (i % 2 == 1) {
                t = t.set(Behaviour.FAIL_ON, "A");
            }
            stale.add(scenario.client().submit(t));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> startedOn("A").containsAll(stale));
        a.pause();
        long frozenAt = System.nanoTime();

        scenario.start(scenario.worker("B").concurrency(8));
        List<String> ids = new ArrayList<>(stale);
        ids.addAll(scenario.submitPlain(STALE, TOTAL - STALE));
        await().atMost(Duration.ofSeconds(60)).until(() -> scenario.ledger().completedJobs() == TOTAL);
        sleepRestOf(FROZEN_FOR_AT_LEAST, frozenAt);
        a.resume();

        // A's runs go on after the thaw: the two plain ones complete (a duplicate each), the two others throw;
        // then A has settled (or failed to settle) all four and runs nothing
        await().atMost(Duration.ofSeconds(30)).until(() -> doneOn("A").size() == STALE / 2
                && scenario.ledger().running().get("A") == 0L);

        Accounting accounting = scenario.settle(ids, Duration.ofSeconds(60)).assertNothingLost().assertNoneDead();
        assertEquals(STALE / 2, accounting.duplicates(), "only A's two stale runs that returned ran twice");
        Map<String, Long> acked = scenario.ledger().acked();
        assertEquals(0L, acked.get("A"), "A acked none of the jobs it had lost: " + acked);
        assertEquals((long) TOTAL, acked.get("B"), "B acked every job exactly once: " + acked);
        assertEquals(0L, scenario.ledger().buried().get("A"), "A dead-lettered nothing");
        assertEquals(TasqueKeys.empty(), TasqueKeys.sizes(scenario.ledger()), "no stray record of any job is left");
        for (String id : stale) {
            List<String> lines = a.logLines().stream().filter(l -> l.contains(id)).collect(Collectors.toList());
            assertEquals(1, lines.size(), "A logs its refused calls for job " + id + " once: " + lines);
        }
    }

    private List<String> startedOn(String worker) {
        return on(worker, "start");
    }

    private List<String> doneOn(String worker) {
        return on(worker, "done");
    }

    private List<String> on(String worker, String kind) {
        return scenario.ledger().events().stream().filter(e -> e.kind().equals(kind) && e.worker().equals(worker))
                .map(Ledger.Event::id).toList();
    }

    /** The freeze is the fault: it lasts at least {@code d} from {@code since}, however fast B was. */
    private static void sleepRestOf(Duration d, long since) throws InterruptedException {
        long left = d.toNanos() - (System.nanoTime() - since);
        if (left > 0) {
            Thread.sleep(left / 1_000_000);
        }
    }
}
