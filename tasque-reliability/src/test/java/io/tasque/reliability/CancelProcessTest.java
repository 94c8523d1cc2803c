package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.client.JobInfo;
import io.tasque.client.JobState;
import io.tasque.client.QueueCounts;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cancel from this process reaching a job that runs in a worker process: the handler there is interrupted within
 * about a second, the run ends as cancelled (not completed, not retried, not dead-lettered), and the worker goes on
 * with the other jobs. Waiting jobs cancelled here never reach the worker.
 */
@WithRedis
class CancelProcessTest {

    private final RedisServer redis;
    private Scenario scenario;

    CancelProcessTest(RedisServer redis) {
        this.redis = redis;
    }

    @AfterEach
    void tearDown() {
        scenario.close();
    }

    @Test
    void aJobRunningInAnotherProcessIsStoppedByACancelAndWaitingOnesNeverRun() {
        scenario = new Scenario("cancel", redis);
        WorkerProcess worker = scenario.start(scenario.worker("A").concurrency(2).maxAttempts(3));
        String running = scenario.client().submit(Behaviour.working(0, 120_000));
        await().atMost(Duration.ofSeconds(20)).until(() -> scenario.admin().stats(ChildSettings.TASK).running() == 1);
        String delayed = scenario.client().submit(Behaviour.plain(1), Duration.ofSeconds(2));
        assertTrue(scenario.client().cancel(ChildSettings.TASK, delayed));

        long start = System.nanoTime();
        assertTrue(scenario.client().cancel(ChildSettings.TASK, running));
        await().atMost(Duration.ofSeconds(10)).until(() -> scenario.admin().stats(ChildSettings.TASK).running() == 0);
        long endedMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("cancel: the run in worker process A ended " + endedMillis + " ms after the cancel");
        assertTrue(endedMillis < 5_000, "the run ended " + endedMillis + " ms after the cancel, not after its 120 s of work");

        JobInfo info = scenario.admin().job(ChildSettings.TASK, running).orElseThrow();
        assertEquals(JobState.CANCELLED, info.state());
        assertTrue(worker.log().contains("/" + running + "#1 was cancelled"), worker.log());

        List<String> plain = scenario.submitPlain(2, 20);
        Accounting accounting = scenario.settle(plain, Duration.ofMinutes(1)).assertNothingLost();
        assertEquals(20, accounting.completed());
        assertFalse(scenario.ledger().completions().containsKey(running), "the cancelled run did not complete");
        assertFalse(scenario.ledger().completions().containsKey(delayed), "the cancelled delayed job never ran");
        assertEquals(new QueueCounts(ChildSettings.TASK, 0, 0, 0, 0), scenario.admin().stats(ChildSettings.TASK),
                "nothing retried or dead-lettered");
    }
}
