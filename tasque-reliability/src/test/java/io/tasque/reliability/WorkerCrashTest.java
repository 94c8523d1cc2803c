package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Scenario 1: one of two worker processes is killed with SIGKILL while it holds jobs. */
@WithRedis
@Tag("slow")
class WorkerCrashTest {

    private final RedisServer redis;
    private Scenario scenario;

    WorkerCrashTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void setUp() {
        scenario = new Scenario("1-sigkill-worker", redis);
    }

    @AfterEach
    void tearDown() {
        scenario.close();
    }

    @Test
    void everyJobAKilledWorkerHeldIsRedeliveredToTheOtherWorkerOnceItsLeaseRunsOut() {
        WorkerProcess a = scenario.start(scenario.worker("A").concurrency(8).sleep(Duration.ofMillis(100)));
        scenario.start(scenario.worker("B").concurrency(8).sleep(Duration.ofMillis(100)));
        List<String> ids = scenario.submitPlain(0, 600);

        await().atMost(Duration.ofSeconds(60)).until(() -> startedBy("A").size() >= 40);
        // A's 8 handlers start and end in waves; between two waves it may hold leased jobs but run none. Freeze it,
        // and kill it only while a run it started is unfinished; else let it go on and look again.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            a.pause();
            if (!unfinishedOn("A").isEmpty()) {
                return true;
            }
            a.resume();
            return false;
        });
        a.kill();

        Accounting accounting = scenario.settle(ids, Duration.ofMinutes(2)).assertNothingLost().assertNoneDead();
        assertEquals(600, accounting.completed());

        List<Ledger.Event> events = scenario.ledger().events();
        Set<String> unfinishedOnA = unfinishedOn("A");
        assertFalse(unfinishedOnA.isEmpty(), "A was killed with jobs in flight");
        for (String id : unfinishedOnA) {
            assertTrue(events.stream().anyMatch(e -> e.id().equals(id) && e.kind().equals("done")
                    && e.worker().equals("B") && e.attempt() >= 2),
                    "job " + id + " that A held was run again by B as a later attempt: " + scenario.ledger().events(id));
        }
        String summary = "1-sigkill-worker: A held " + unfinishedOnA.size() + " unfinished job(s) when killed; B ran all of them again";
        System.out.println(summary);
        Accounting.report(summary);
    }

    /** Jobs whose run {@code worker} started and did not finish. */
    private Set<String> unfinishedOn(String worker) {
        List<Ledger.Event> events = scenario.ledger().events();
        Set<String> unfinished = events.stream().filter(e -> e.kind().equals("start") && e.worker().equals(worker))
                .map(Ledger.Event::id).collect(Collectors.toSet());
        unfinished.removeAll(events.stream().filter(e -> e.kind().equals("done") && e.worker().equals(worker))
                .map(Ledger.Event::id).collect(Collectors.toSet()));
        return unfinished;
    }

    private Set<String> startedBy(String worker) {
        return scenario.ledger().events().stream().filter(e -> e.kind().equals("start") && e.worker().equals(worker))
                .map(Ledger.Event::id).collect(Collectors.toSet());
    }
}
