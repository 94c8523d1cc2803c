package io.tasque.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeerResultsTest {

    @Test
    void readsResultLinesAndLeavesOutMissingFigures() {
        List<PeerResults.Row> rows = PeerResults.parse(List.of(
                "[peers] machine: 2 cores",
                "RESULT|bullmq 6.7.0|31690|23399|18194|18804|10601|0.57|2.10|add x50 in flight; addBulk(1000)",
                "RESULT|half|100|-|skipped|250.5||-|-|notes",
                "RESULT|nothing|-|-|-|-|-|-|-|skipped: no server",
                "RESULT|tasque-java 0.1.0|1|2|3|4|5|0.1|0.2|earlier run",
                "SKIP|disque|no disque-server",
                "system | enqueue jobs/s"));
        assertEquals(2, rows.size());
        assertEquals("bullmq 6.7.0", rows.get(0).system());
        assertEquals(10601, rows.get(0).rates()[4]);
        double[] half = rows.get(1).rates();
        assertEquals(100, half[0]);
        assertTrue(Double.isNaN(half[1]));
        assertTrue(Double.isNaN(half[2]));
        assertEquals(250.5, half[3]);
        assertTrue(Double.isNaN(half[4]));
    }

    @Test
    void aSystemNamedTwiceKeepsItsLastRow() {
        List<PeerResults.Row> rows = PeerResults.parse(List.of("RESULT|a|1|1|1|1|1|-|-|", "RESULT|a|2|2|2|2|2|-|-|"));
        assertEquals(1, rows.size());
        assertEquals(2, rows.get(0).rates()[0]);
    }
}
