package io.tasque.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    @Test
    void defaultsMeasureOneTwoAndThreeMastersWithAHundredThousandJobsPerPhase() {
        ClusterSettings s = ClusterSettings.parse(Map.of());
        assertEquals(100_000, s.n());
        assertEquals(List.of(1, 2, 3), s.masters());
        assertEquals(8, s.producers());
        assertEquals(180, s.phaseTimeoutSeconds());
        assertEquals(180_000_000_000L, s.phaseTimeoutNanos());
    }

    @Test
    void theEnvironmentSetsTheKnobs() {
        ClusterSettings s = ClusterSettings.parse(Map.of("CLUSTER_N", "20_000", "CLUSTER_MASTERS", " 3, 1 ",
                "CLUSTER_JIT_WARMUP_N", "0", "PHASE_TIMEOUT_S", "30"));
        assertEquals(20_000, s.n());
        assertEquals(List.of(3, 1), s.masters());
        assertEquals(0, s.jitWarmupN());
        assertEquals(30, s.phaseTimeoutSeconds());
        assertEquals("CLUSTER_N=20000 CLUSTER_MASTERS=3,1 CLUSTER_PRODUCERS=8 CLUSTER_WARMUP_N=10000"
                + " CLUSTER_JIT_WARMUP_N=0 BULK_CHUNK=1000 PHASE_TIMEOUT_S=30", s.describe());
    }

    @Test
    void aBadMasterListIsRefusedNamingTheVariable() {
        IllegalArgumentException words = assertThrows(IllegalArgumentException.class,
                () -> ClusterSettings.parse(Map.of("CLUSTER_MASTERS", "one,two")));
        assertEquals("CLUSTER_MASTERS='one,two' is not a comma-separated list of whole numbers, e.g. 1,2,3",
                words.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> ClusterSettings.parse(Map.of("CLUSTER_MASTERS", "0,2")));
        assertEquals("CLUSTER_MASTERS='0,2': 0 masters is not between 1 and 16", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClusterSettings.parse(Map.of("CLUSTER_N", "0")));
    }
}
