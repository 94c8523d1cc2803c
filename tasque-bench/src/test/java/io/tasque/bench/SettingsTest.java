package io.tasque.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsFollowThePeersAndTheIssue() {
        Settings s = Settings.parse(new String[0], Map.of());
        assertEquals(500, s.latRate());
        assertEquals(1_000, s.lat2Rate());
        assertEquals(1_000_000, s.heapN());
        assertNull(s.chartFile());
    }

    @Test
    void quickLowersTheHeapRunAndTheEnvironmentStillWins() {
        assertEquals(50_000, Settings.parse(new String[] {"--quick"}, Map.of()).heapN());
        Settings s = Settings.parse(new String[] {"--quick"}, Map.of("HEAP_N", "7_000", "LAT2_RATE", "2000"));
        assertEquals(7_000, s.heapN());
        assertEquals(2_000, s.lat2Rate());
    }

    @Test
    void chartAndPeersTakeAFile() {
        Settings s = Settings.parse(new String[] {"--chart", "out.svg", "--peers=results.txt", "--quick"}, Map.of());
        assertEquals("out.svg", s.chartFile());
        assertEquals("results.txt", s.peersFile());
        assertThrows(IllegalArgumentException.class, () -> Settings.parse(new String[] {"--chart"}, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> Settings.parse(new String[] {"--peers", "results.txt"}, Map.of()));
    }

    @Test
    void latencyRunsOnlyTheIssueSetupAndDrawsNoChart() {
        assertTrue(Settings.parse(new String[] {"--latency"}, Map.of()).latencyOnly());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.parse(new String[] {"--latency", "--chart", "x.svg"}, Map.of()));
        assertTrue(e.getMessage().contains("--latency"), e.getMessage());
    }

    @Test
    void clusterRunsOnlyItsOwnSetupsSoItTakesNoBrokerLatencyQuickOrChart() {
        assertTrue(Settings.parse(new String[] {"--cluster"}, Map.of()).cluster());
        for (String[] args : new String[][] {{"--cluster", "--broker", "redis://127.0.0.1:6390/1", "--flush"},
            {"--cluster", "--latency"}, {"--cluster", "--quick"}, {"--cluster", "--chart", "x.svg"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.parse(args, Map.of()));
            assertTrue(e.getMessage().startsWith("--cluster starts its own servers"), e.getMessage());
        }
    }
}
