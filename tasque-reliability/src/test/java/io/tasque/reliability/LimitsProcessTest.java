package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Limits shared by worker processes: a rate limit that three processes keep together, and a cap on running jobs that
 * three processes keep together and that gets its share back from a worker killed with jobs running.
 */
@WithRedis
class LimitsProcessTest {

    private final RedisServer redis;
    private Scenario scenario;

    LimitsProcessTest(RedisServer redis) {
        this.redis = redis;
    }

    @AfterEach
    void tearDown() {
        scenario.close();
    }

    @Test
    void threeProcessesKeepOneRateLimitOfTwentyASecondTogether() {
        scenario = new Scenario("rate-limit-3-processes", redis);
        for (String name : List.of("A", "B", "C")) {
            scenario.start(scenario.worker(name).concurrency(4).journal(false).timing(true).limits(20, 1000, null, 0));
        }
        scenario.submitPlain(0, 400);
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            List<Ledger.Span> s = scenario.ledger().spans();
            return !s.isEmpty() && s.stream().mapToLong(Ledger.Span::start).max().getAsLong()
                    - s.stream().mapToLong(Ledger.Span::start).min().getAsLong() >= 10_500;
        });
        List<Ledger.Span> spans = scenario.ledger().spans();
        long t0 = spans.stream().mapToLong(Ledger.Span::start).min().getAsLong();
        List<Long> starts = new ArrayList<>();
        Set<String> workers = new HashSet<>();
        for (Ledger.Span s : spans) {
            if (s.start() < t0 + 10_000) {
                starts.add(s.start());
                workers.add(s.worker());
            }
        }
        int most = mostInAnyWindow(starts, 1000);
        System.out.println("rate-limit-3-processes: " + starts.size() + " starts in the first 10 s, by " + workers
                + "; most in any 1 s window: " + most);
        assertTrue(most <= 20, most + " starts in one second");
        // one start every 55 ms (50 ms stretched by 10 %): about 181 in 10 s
        assertTrue(starts.size() >= 170, "only " + starts.size() + " starts in 10 s at 20/s");
        assertEquals(Set.of("A", "B", "C"), workers, "every process took its turns under the one limit");
    }

    @Test
    void threeProcessesKeepACapOfThreeAndAKilledWorkersShareComesBack() {
        scenario = new Scenario("max-running-3-processes", redis);
        List<WorkerProcess> workers = new ArrayList<>();
        for (String name : List.of("A", "B", "C")) {
            workers.add(scenario.start(scenario.worker(name).concurrency(5).timing(true).sleep(Duration.ofMillis(300))
                    .lease(Duration.ofSeconds(2)).limits(0, 0, null, 3)));
        }
        List<String> ids = scenario.submitPlain(0, 60);
        await().atMost(Duration.ofSeconds(20)).until(() -> scenario.ledger().running().getOrDefault("A", 0L) > 0);
        workers.get(0).kill();
        long killedAt = System.currentTimeMillis();
        Accounting accounting = scenario.settle(ids, Duration.ofMinutes(2)).assertNothingLost();
        assertEquals(60, accounting.completed());

        List<Ledger.Span> spans = scenario.ledger().spans();
        int most = mostAtOnce(spans, Long.MIN_VALUE);
        int afterKill = mostAtOnce(spans, killedAt);
        System.out.println("max-running-3-processes: most runs at once " + most + ", after the kill " + afterKill);
        assertTrue(most <= 3, most + " runs at once");
        assertEquals(3, afterKill, "after the killed worker's leases expired the other two ran three at once again");
    }

    /** The most starts within any window of {@code windowMillis}. */
    static int mostInAnyWindow(List<Long> starts, long windowMillis) {
        List<Long> sorted = new ArrayList<>(starts);
        sorted.sort(null);
        int most = 0;
        int from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (sorted.get(to) - sorted.get(from) >= windowMillis) {
                from++;
            }
            most = Math.max(most, to - from + 1);
        }
        return most;
    }

    /** The most runs going on at one moment, among the runs that started after {@code since}. */
    static int mostAtOnce(List<Ledger.Span> spans, long since) {
        List<long[]> edges = new ArrayList<>();
        for (Ledger.Span s : spans) {
            if (s.start() > since) {
                edges.add(new long[] {s.start(), 1});
                edges.add(new long[] {s.end(), -1});
            }
        }
        // at one instant an end comes before a start: a run that ended as another began did not overlap it
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int now = 0;
        int most = 0;
        for (long[] e : edges) {
            now += (int) e[1];
            most = Math.max(most, now);
        }
        return most;
    }
}
