package io.tasque.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResultTableTest {

    private static Scenarios.Latency issueRun(double scheduledP99, double scheduledP999) {
        return new Scenarios.Latency(1_000, 16, 500,
                new LatencyRecorder.Summary(0.4, scheduledP99, scheduledP999, 12.5),
                new LatencyRecorder.Summary(0.35, 0.8, 1.5, 4.25), 10_000, 10_000, false);
    }

    @Test
    void theLatencyLineCarriesBothStartingPointsWithTheNinetyNinePointNinthAndTheMax() {
        assertEquals("LATENCY|tasque-java 1.0|1000|16|500|10000/10000|sched|0.40|0.90|2.50|12.50|submit|0.35|0.80|1.50|4.25",
                ResultTable.latencyLine("tasque-java 1.0", issueRun(0.9, 2.5)));
    }

    @Test
    void theIssueLineJudgesTheTargetsFromTheScheduledSend() {
        assertTrue(ResultTable.issueLine(issueRun(0.9, 2.5)).endsWith(": met"));
        assertTrue(ResultTable.issueLine(issueRun(2.4, 2.5)).endsWith(": NOT met"));
        assertTrue(ResultTable.issueLine(issueRun(0.9, 6.0)).endsWith(": NOT met"));
    }
}
