package io.tasque.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void percentilesAreNearestRankIncludingTheNinetyNinePointNinthAndTheMax() {
        LatencyRecorder r = new LatencyRecorder(1_000);
        for (int ms = 1_000; ms >= 1; ms--) {
            r.record(ms * 1_000_000L);
        }
        LatencyRecorder.Summary s = r.percentiles().summary();
        assertEquals(500.0, s.p50());
        assertEquals(990.0, s.p99());
        assertEquals(999.0, s.p999());
        assertEquals(1_000.0, s.max());
        assertEquals("500.00|990.00|999.00|1000.00", s.fields());
    }

    @Test
    void aSingleSlowJobInAThousandShowsInTheMaxButNotInTheNinetyNinePointNinth() {
        LatencyRecorder r = new LatencyRecorder(2_000);
        for (int i = 0; i < 1_999; i++) {
            r.record(1_000_000L);
        }
        r.record(50_000_000L);
        LatencyRecorder.Summary s = r.percentiles().summary();
        assertEquals(1.0, s.p999());
        assertEquals(50.0, s.max());
    }

    @Test
    void noSamplesReportsEveryFigureAsMissing() {
        LatencyRecorder.Summary s = new LatencyRecorder(10).percentiles().summary();
        assertTrue(Double.isNaN(s.p50()) && Double.isNaN(s.p999()) && Double.isNaN(s.max()));
        assertEquals("-|-|-|-", s.fields());
    }

    @Test
    void samplesPastTheCapacityAreCountedButNotKept() {
        LatencyRecorder r = new LatencyRecorder(2);
        r.record(1_000_000L);
        r.record(2_000_000L);
        r.record(9_000_000L);
        assertEquals(3, r.count());
        assertEquals(2, r.percentiles().size());
        assertEquals(2.0, r.percentiles().maxMs());
    }

    @Test
    void aSubmitCallThatStalledCountsFromTheScheduledSendButNotFromTheCall() {
        LatencyRecorder fromScheduled = new LatencyRecorder(1);
        LatencyRecorder fromSubmit = new LatencyRecorder(1);
        Completions done = Completions.timing(1, fromScheduled, fromSubmit);
        long now = System.nanoTime();
        // due 20 ms ago, but the submit call behind a stalled one only started 1 ms ago
        done.handle(Task.of(Scenarios.TASK).set(Completions.SCHEDULED, now - 20_000_000L)
                .set(Completions.TS, now - 1_000_000L));
        double scheduled = fromScheduled.percentiles().maxMs();
        double submit = fromSubmit.percentiles().maxMs();
        assertTrue(scheduled >= 20.0, "from the scheduled send: " + scheduled + " ms");
        assertTrue(submit >= 1.0 && submit < 20.0, "from the submit call: " + submit + " ms");
    }

    @Test
    void warmUpTasksScheduledBeforeTheTimedPartAreCountedButNotRecorded() {
        LatencyRecorder fromScheduled = new LatencyRecorder(4);
        LatencyRecorder fromSubmit = new LatencyRecorder(4);
        Completions done = Completions.timing(2, fromScheduled, fromSubmit);
        long timedFrom = System.nanoTime();
        done.recordFrom(timedFrom);
        done.handle(Task.of(Scenarios.TASK).set(Completions.SCHEDULED, timedFrom - 1).set(Completions.TS, timedFrom));
        done.handle(Task.of(Scenarios.TASK).set(Completions.SCHEDULED, timedFrom).set(Completions.TS, timedFrom));
        assertEquals(2, done.done());
        assertEquals(1, fromScheduled.count());
        assertEquals(1, fromSubmit.count());
    }

    @Test
    void slotsAreTheIntendedSendTimesAtTheRate() {
        Pacer pacer = new Pacer(1_000L, 3);
        assertEquals(1_000L, pacer.slotNanos(0));
        assertEquals(1_000L + 333_333_333L, pacer.slotNanos(1));
        assertEquals(1_000L + 1_000_000_000L, pacer.slotNanos(3));
    }
}
