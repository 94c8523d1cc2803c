package io.tasque.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tasque.Task;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 6, the soak: three worker processes run a stream of jobs while, every few seconds, a random one of
 * them is killed with SIGKILL and a fresh one started. Sized for CI by default ({@code soak.jobs} = 20 000,
 * bounded by {@code soak.bound} = 2 min, 30 ms of work per job); {@code -Psoak} runs 5 000 000 jobs.
 */
@WithRedis
@Tag("slow")
class SoakTest {

    private static final int JOBS = Integer.getInteger("soak.jobs", 20_000);
    private static final Duration BOUND = Duration.parse(System.getProperty("soak.bound", "PT2M"));
    /** How long each job works; enough in CI that kills catch jobs in flight and the run spans many kills. */
    private static final Duration WORK = Duration.ofMillis(Long.getLong("soak.workMs", 30));
    /** The fault's cadence: one worker killed (and replaced) this often. */
    private static final Duration KILL_EVERY = Duration.ofSeconds(2);
    /** Time left after the bound for jobs of the last killed worker to come back and finish. */
    private static final Duration SETTLE_AFTER = Duration.ofSeconds(60);
    private static final int BATCH = 1000;
    /** The feeder keeps at most this many jobs waiting, so a million-job run stays small in Redis. */
    private static final long BACKLOG = 20_000;

    private final RedisServer redis;
    private Scenario scenario;

    SoakTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void setUp() {
        scenario = new Scenario("6-soak", redis);
    }

    @AfterEach
    void tearDown() {
        scenario.close();
    }

    @Test
    void randomWorkerKillsAndRestartsLoseNoJob() throws Exception {
        List<WorkerProcess> workers = new ArrayList<>();
        for (String name : List.of("A", "B", "C")) {
            workers.add(scenario.start(scenario.worker(name).concurrency(8).sleep(WORK).journal(false)));
        }
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        Thread feeder = new Thread(() -> feed(ids), "soak-feeder");
        long start = System.nanoTime();
        feeder.start();

        Random random = new Random(42);
        int kills = 0;
        long deadline = start + BOUND.toNanos();
        while (System.nanoTime() < deadline && (feeder.isAlive() || scenario.ledger().completedJobs() < ids.size())) {
            Thread.sleep(KILL_EVERY.toMillis());
            int victim = random.nextInt(workers.size());
            workers.get(victim).kill();
            workers.set(victim, scenario.fleet().replace(workers.get(victim)));
            kills++;
        }
        feeder.join(SETTLE_AFTER.toMillis());
        Accounting accounting = scenario.settle(ids, SETTLE_AFTER).assertNothingLost().assertNoneDead();
        double seconds = (System.nanoTime() - start) / 1e9;
        String summary = String.format("6-soak: %d worker kills in %.0f s, %.0f jobs/s", kills, seconds, accounting.completed() / seconds);
        System.out.println(summary);
        Accounting.report(summary);
        assertEquals(JOBS, accounting.submitted(), "the feeder submitted every job within the bound");
    }

    /** Submits JOBS plain jobs in bulk, never letting more than BACKLOG wait. */
    private void feed(List<String> ids) {
        int next = 0;
        while (next < JOBS) {
            if (scenario.admin().stats(ChildSettings.TASK).ready() > BACKLOG) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            int n = Math.min(BATCH, JOBS - next);
            List<Task> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(Behaviour.plain(next + i));
            }
            ids.addAll(scenario.client().submitAll(batch));
            next += n;
        }
    }
}
