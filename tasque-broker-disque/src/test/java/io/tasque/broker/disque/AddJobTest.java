package io.tasque.broker.disque;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tasque.testkit.ManualClock;
import io.tasque.broker.OutgoingJob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Millisecond times become Disque's whole seconds without ever running a job early. */
class AddJobTest {

    @Test
    void delaysRoundUpToWholeSeconds() {
        assertEquals(0, AddJob.delaySeconds(0, 5000));
        assertEquals(0, AddJob.delaySeconds(4000, 5000));
        assertEquals(1, AddJob.delaySeconds(5001, 5000));
        assertEquals(1, AddJob.delaySeconds(6000, 5000));
        assertEquals(2, AddJob.delaySeconds(6001, 5000));
    }

    @Test
    void theTtlRunsToTheExpiryPlusGraceOrTheDefaultAndAlwaysOutlivesTheDelay() {
        assertEquals(3600 + 10, AddJob.ttlSeconds(11_000, 1_500, 0, 3600, 999));
        assertEquals(999, AddJob.ttlSeconds(0, 1_500, 0, 3600, 999));
        assertEquals(3600, AddJob.ttlSeconds(1_000, 5_000, 0, 3600, 999));
        assertEquals(5000 + 3600, AddJob.ttlSeconds(11_000, 1_500, 5000, 3600, 999));
        assertEquals(6, AddJob.ttlSeconds(0, 0, 5, 0, 3));
    }

    @Test
    void aSubmitCarriesEveryOptionAsked() {
        ManualClock clock = new ManualClock(1_000_000);
        DisqueOptions options = DisqueOptions.builder().replicate(2).maxLen(100).async(true).build();
        AddJobs adds = new AddJobs(options, 4000, clock, () -> 3);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        AddJob add = adds.submit(new OutgoingJob("foo", "id", body, 1_002_500));
        assertEquals(List.of("__tasque__foo", "{}", "4000", "REPLICATE", "2", "DELAY", "3", "RETRY", "30",
                "TTL", Long.toString(30L * 24 * 3600), "MAXLEN", "100", "ASYNC"), strings(add.args()));
    }

    @Test
    void copiesLeaveOutMaxLenAndAsyncAndDeadEntriesUseTheDeadLetterTtl() {
        ManualClock clock = new ManualClock(1_000_000);
        AddJobs adds = new AddJobs(DisqueOptions.builder().maxLen(5).async(true).build(), 4000, clock, () -> 3);
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("__tasque__foo", "x", "4000", "REPLICATE", "2", "DELAY", "2", "RETRY", "30", "TTL", "500"),
                strings(adds.retryCopy("foo", body, 1_001_001, 500).args()));
        assertEquals(List.of("__tasque_dead__foo", "x", "4000", "REPLICATE", "2", "RETRY", "3600", "TTL", Long.toString(30L * 24 * 3600)),
                strings(adds.deadEntry("foo", body).args()));
    }

    @Test
    void byDefaultEveryJobHasTwoCopiesOrOneOnASingleNode() {
        ManualClock clock = new ManualClock(1_000_000);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        OutgoingJob job = new OutgoingJob("foo", "id", body, 0);
        List<String> onThree = strings(new AddJobs(DisqueOptions.defaults(), 4000, clock, () -> 3).submit(job).args());
        assertEquals(List.of("REPLICATE", "2"), onThree.subList(3, 5));
        List<String> onOne = strings(new AddJobs(DisqueOptions.defaults(), 4000, clock, () -> 1).submit(job).args());
        assertEquals(List.of("REPLICATE", "1"), onOne.subList(3, 5));
        DisqueOptions three = DisqueOptions.builder().replicate(3).build();
        assertEquals(List.of("REPLICATE", "2"), strings(new AddJobs(three, 4000, clock, () -> 2).submit(job).args()).subList(3, 5));
        DisqueOptions serverDefault = DisqueOptions.builder().replicate(0).build();
        assertEquals("RETRY", strings(new AddJobs(serverDefault, 4000, clock, () -> 3).submit(job).args()).get(3));
    }

    @Test
    void goCompatibleJobsCarryTheRetryDisqueGivesGoTasquesOwnJobs() {
        ManualClock clock = new ManualClock(1_000_000);
        AddJobs adds = new AddJobs(DisqueOptions.builder().goCompatible().build(), 4000, clock, () -> 3);
        List<String> args = strings(adds.submit(new OutgoingJob("foo", "id", "{}".getBytes(StandardCharsets.UTF_8), 0)).args());
        assertEquals(List.of("RETRY", "300"), args.subList(5, 7));
    }

    private static List<String> strings(byte[][] args) {
        List<String> out = new ArrayList<>();
        for (byte[] a : args) {
            out.add(new String(a, StandardCharsets.UTF_8));
        }
        return out;
    }
}
