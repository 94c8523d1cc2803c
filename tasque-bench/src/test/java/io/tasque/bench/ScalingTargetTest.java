package io.tasque.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.client.TasqueClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Against real private clusters: where the benchmark's queue partitions land, and that a flush keeps the split. */
class ScalingTargetTest {

    @Test
    void threeMastersGetOnePartitionEachOfTheBenchQueue() {
        try (ScalingTarget t = ScalingTarget.cluster(3, ClusterScaling.QUEUE, 0)) {
            assertTrue(t.isCluster());
            assertEquals(3, t.partitions());
            assertEquals(List.of(1, 1, 1), t.perMaster());
            assertEquals(3, t.pids().size());
            assertEquals("p0(slot 10577)→m2 p1(slot 877)→m1 p2(slot 13070)→m3", t.placement());
        }
    }

    @Test
    void twoMastersGetTheSameNumberOfPartitionsAndAFlushSetsTheSplitAgain() {
        try (ScalingTarget t = ScalingTarget.cluster(2, ClusterScaling.QUEUE, 0);
             TasqueClient client = TasqueClient.connect(t.uri())) {
            assertEquals(2, t.partitions());
            assertEquals(List.of(1, 1), t.perMaster());
            t.flush(client);
            assertEquals(2, client.admin().partitions(ClusterScaling.QUEUE));
            client.submit(io.tasque.Task.of(ClusterScaling.QUEUE));
            client.submit(io.tasque.Task.of(ClusterScaling.QUEUE));
            long[] calls = t.callCounts();
            assertTrue(calls[0] > 0, "commands counted: " + calls[0]);
            t.flush(client);
            assertEquals(2, client.admin().partitions(ClusterScaling.QUEUE), "FLUSHALL deleted the count; flush sets it again");
        }
    }

    @Test
    void aGivenPartitionCountIsKeptHoweverItLandsAndThePlainServerIsNotSplit() {
        try (ScalingTarget t = ScalingTarget.cluster(1, ClusterScaling.QUEUE, 3)) {
            assertEquals(3, t.partitions());
            assertEquals(List.of(3), t.perMaster());
        }
        try (ScalingTarget plain = ScalingTarget.single(ClusterScaling.QUEUE)) {
            assertFalse(plain.isCluster());
            assertEquals(1, plain.partitions());
            assertEquals("-", plain.placement());
            assertTrue(plain.uri().startsWith("redis://"), plain.uri());
        }
    }
}
