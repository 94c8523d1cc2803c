package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Misfire;
import io.tasque.Task;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Schedules fired by worker processes: every tick of a per-second schedule becomes exactly one job, with several
 * workers racing for it, when the worker that won a tick's claim dies before storing its job, and across a
 * downtime of every worker (one catch-up job under ONCE, none under SKIP). A tick's job id is
 * {@code <schedule id>@<tick>}, so the ledger of completed jobs is the list of ticks fired.
 */
@WithRedis
class ScheduleProcessTest {

    private final RedisServer redis;
    private Scenario scenario;

    ScheduleProcessTest(RedisServer redis) {
        this.redis = redis;
    }

    @AfterEach
    void tearDown() {
        scenario.close();
    }

    @Test
    void threeWorkersFireEveryTickOfAPerSecondScheduleExactlyOnce() {
        scenario = new Scenario("schedule-three", redis);
        List<WorkerProcess> workers = new ArrayList<>();
        for (String w : List.of("A", "B", "C")) {
            workers.add(scenario.start(scenario.worker(w)));
        }
        scenario.client().scheduleEvery("tick", Duration.ofSeconds(1), Task.of(ChildSettings.TASK));
        // 30 s of ticks, first to last (waiting for 30 jobs instead would wait forever if ticks went missing)
        await().atMost(Duration.ofSeconds(50)).pollInterval(Duration.ofMillis(200)).until(() -> span("tick").getSeconds() >= 29);
        assertTrue(scenario.client().unschedule("tick"));
        List<Instant> fired = settledTicks("tick");
        System.out.println("schedule 'tick' fired by three workers: " + fired);
        assertEachOnceWithoutGap("tick", fired);
        assertTrue(fired.size() >= 30, "30 s of ticks: " + fired.size());
        assertTrue(workers.stream().allMatch(WorkerProcess::isAlive), "no worker died");
    }

    @Test
    void aTickWhoseFirerDiedAfterItsClaimStillFiresExactlyOnce() {
        scenario = new Scenario("schedule-kill", redis);
        WorkerProcess doomed = scenario.start(scenario.worker("A").haltAfterClaim());
        List<WorkerProcess> others = List.of(scenario.start(scenario.worker("B")), scenario.start(scenario.worker("C")));
        scenario.client().scheduleEvery("tick", Duration.ofSeconds(1), Task.of(ChildSettings.TASK));
        await().atMost(Duration.ofSeconds(30)).until(() -> !doomed.isAlive());
        String line = doomed.logLines().stream().filter(l -> l.startsWith(ClaimHalt.HALTING)).findFirst().orElseThrow();
        long claimed = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
        String claimedId = "tick@" + Instant.ofEpochMilli(claimed);
        System.out.println("worker A died holding the claim of " + claimedId);
        // the claim runs out after 15 s; another firer then stores its job
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> scenario.ledger().completions().containsKey(claimedId));
        assertTrue(scenario.client().unschedule("tick"));
        List<Instant> fired = settledTicks("tick");
        System.out.println("schedule 'tick' around the killed firer: " + fired);
        assertTrue(fired.contains(Instant.ofEpochMilli(claimed)));
        assertEachOnceWithoutGap("tick", fired);
        assertEquals(1, others.stream().mapToLong(w -> w.linesContaining("finishing tick " + claimedId)).sum(), "one firer finished the claim");
    }

    @Test
    void afterEveryWorkerWasDownOnceFiresOneCatchUpJobAndSkipNone() throws InterruptedException {
        scenario = new Scenario("schedule-downtime", redis);
        WorkerProcess first = scenario.start(scenario.worker("A"));
        scenario.client().scheduleEvery("once", Duration.ofSeconds(1), Task.of(ChildSettings.TASK), Misfire.ONCE);
        scenario.client().scheduleEvery("skip", Duration.ofSeconds(1), Task.of(ChildSettings.TASK), Misfire.SKIP);
        await().atMost(Duration.ofSeconds(20)).until(() -> ticks("once").size() >= 3 && ticks("skip").size() >= 3);
        first.kill();
        Thread.sleep(5_000); // the downtime itself: no worker runs, so nothing to wait for
        scenario.start(scenario.worker("B"));
        int before = ticks("once").size();
        await().atMost(Duration.ofSeconds(20)).until(() -> ticks("once").size() >= before + 3 && ticks("skip").size() >= before + 2);
        scenario.client().unschedule("once");
        scenario.client().unschedule("skip");
        List<Instant> once = settledTicks("once");
        List<Instant> skip = settledTicks("skip");
        System.out.println("ONCE around 5 s of downtime: " + once);
        System.out.println("SKIP around 5 s of downtime: " + skip);
        List<Duration> onceGaps = gaps(once);
        List<Duration> skipGaps = gaps(skip);
        assertEquals(1, onceGaps.size(), "one stretch of missed ticks: " + once);
        assertEquals(1, skipGaps.size(), "one stretch of missed ticks: " + skip);
        Instant onceResumed = resumedAt(once);
        Instant skipResumed = resumedAt(skip);
        // ONCE fired the latest missed tick (one catch-up job) and went on from there; SKIP fired none and resumed at
        // the first tick after the restarted worker's first look, one second later
        assertEquals(onceResumed.plusSeconds(1), skipResumed, "ONCE " + once + " SKIP " + skip);
        // a tick is stored once (its job id is the tick); a tick's job may still run twice when the SIGKILL came after
        // its handler returned and before its ack (at-least-once): at most the one job of each schedule in flight then
        long twice = scenario.ledger().completions().values().stream().filter(n -> n > 1).count();
        assertTrue(twice <= 2, twice + " jobs ran twice: more than the kill could have left unacked");
    }

    /** Ids of the completed jobs of schedule {@code id}, i.e. its fired ticks. */
    private List<String> ticks(String id) {
        return scenario.ledger().completions().keySet().stream().filter(k -> k.startsWith(id + "@")).sorted().toList();
    }

    /** From the first fired tick of {@code id} to the last. */
    private Duration span(String id) {
        List<String> t = ticks(id);
        return t.size() < 2 ? Duration.ZERO : Duration.between(Instant.parse(t.get(0).substring(id.length() + 1)),
                Instant.parse(t.get(t.size() - 1).substring(id.length() + 1)));
    }

    /** The fired ticks of {@code id}, once every job that was stored has completed. */
    private List<Instant> settledTicks(String id) {
        await().atMost(Duration.ofSeconds(20)).until(() -> scenario.admin().stats(ChildSettings.TASK).ready() == 0
                && scenario.admin().stats(ChildSettings.TASK).running() == 0);
        List<Instant> out = new ArrayList<>();
        for (String job : ticks(id)) {
            out.add(Instant.parse(job.substring(id.length() + 1)));
        }
        return out;
    }

    /** Every tick of {@code fired} completed once, and the ticks follow each other second by second. */
    private void assertEachOnceWithoutGap(String id, List<Instant> fired) {
        Map<String, Integer> completions = new TreeMap<>(scenario.ledger().completions());
        completions.forEach((job, n) -> assertEquals(1, n, job + " completed " + n + " times"));
        assertTrue(fired.size() >= 2, "ticks: " + fired);
        assertEquals(List.of(), gaps(fired), "no tick missing between " + fired.get(0) + " and " + fired.get(fired.size() - 1));
        assertFalse(redis.command("HGETALL", "tasque:{schedules}:defs").contains(id), "unscheduled");
    }

    /** The distances between consecutive ticks that are longer than one second. */
    private static List<Duration> gaps(List<Instant> ticks) {
        List<Duration> out = new ArrayList<>();
        for (int i = 1; i < ticks.size(); i++) {
            Duration d = Duration.between(ticks.get(i - 1), ticks.get(i));
            if (!d.equals(Duration.ofSeconds(1))) {
                out.add(d);
            }
        }
        return out;
    }

    /** The first tick after the one gap. */
    private static Instant resumedAt(List<Instant> ticks) {
        for (int i = 1; i < ticks.size(); i++) {
            if (!Duration.between(ticks.get(i - 1), ticks.get(i)).equals(Duration.ofSeconds(1))) {
                return ticks.get(i);
            }
        }
        throw new AssertionError("no gap in " + ticks);
    }
}
