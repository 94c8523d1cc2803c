package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerContract;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.Housekeeping;
import io.tasque.broker.OutgoingJob;
import io.tasque.broker.QueueStats;
import io.tasque.broker.Reservation;
import io.tasque.testkit.RedisCluster;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The broker contract on a real Redis Cluster (three masters with a replica each, one cluster for the class), with
 * the contract's queues on different masters, plus what a cluster adds: calls over queues of several slots.
 */
@WithRedisCluster
class RedisClusterBrokerTest extends BrokerContract {

    /** Five queues whose slots are served by all three masters. */
    static final List<String> SPREAD = List.of("a", "b", "c", "d", "e");

    private final RedisCluster cluster;

    RedisClusterBrokerTest(RedisCluster cluster) {
        this.cluster = cluster;
    }




    @Override
    protected Broker open(BrokerOptions options) {
        return new RedisBroker(BrokerUri.parse(cluster.uri()), options);
    }

    @Test
    void theQueuesUsedHereAreServedByEveryMaster() {
        Set<Integer> masters = new HashSet<>();
        for (String q : SPREAD) {
            masters.add(cluster.masterOf(cluster.slotOf("tasque:{" + q + "}:ready")).port());
        }
        assertEquals(3, masters.size(), "queues " + SPREAD + " should span the three masters");
        assertEquals(cluster.slotOf("tasque:{a}:ready"), new Keys("tasque", "a").slot);
    }

    @Test
    void jobsOfQueuesOnEveryMasterAreStoredLeasedAndAckedInOneCallEach() {
        List<OutgoingJob> jobs = new ArrayList<>();
        for (String q : SPREAD) {
            jobs.add(job(q, q + "1"));
            jobs.add(job(q, q + "2"));
            jobs.add(new OutgoingJob(q, q + "-later", new byte[] {1}, clock.millis() + 5_000));
        }
        ((RedisBroker) broker).enqueueNew(jobs);
        for (String q : SPREAD) {
            assertEquals(new QueueStats(q, 2, 1, 0, 0), broker.stats(q));
            RedisServer master = cluster.masterOf(cluster.slotOf("tasque:{" + q + "}:ready"));
            assertEquals("2", master.command("LLEN", "tasque:{" + q + "}:ready"), "stored on the master of " + q);
        }

        Reservation first = broker.reserve(SPREAD, 7, LEASE);
        assertEquals(7, first.deliveries().size(), "max holds across the slots");
        Reservation rest = ((RedisBroker) broker).reserve(SPREAD, 10, LEASE, first.deliveries());
        assertEquals(3, rest.deliveries().size());
        for (boolean acked : rest.acked()) {
            assertTrue(acked);
        }
        assertEquals(clock.millis() + 5_000, rest.nextDueMillis(), "the earliest due time of every slot");
        boolean[] held = broker.extend(rest.deliveries(), LEASE);
        boolean[] acked = broker.ack(rest.deliveries());
        for (int i = 0; i < held.length; i++) {
            assertTrue(held[i] && acked[i]);
        }
        clock.advance(Duration.ofSeconds(6));
        Housekeeping h = ((RedisBroker) broker).housekeep(SPREAD);
        assertEquals(5, h.promoted());
        for (String q : SPREAD) {
            assertEquals(new QueueStats(q, 1, 0, 0, 0), broker.stats(q));
        }
    }

    @Test
    void queuesListsTheQueuesOfEveryMaster() {
        for (String q : SPREAD) {
            broker.enqueue(List.of(job(q, "x")));
        }
        assertEquals(SPREAD, broker.queues());
    }

    @Test
    void awaitWorkOverSeveralSlotsWakesForAJobInAnyOfThem() {
        assertFalse(broker.awaitWork(SPREAD, Duration.ofMillis(600)), "nothing to wake for on any master");
        broker.enqueue(List.of(job("e", "late")));
        long start = System.nanoTime();
        assertTrue(broker.awaitWork(SPREAD, Duration.ofSeconds(5)));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < (SPREAD.size() + 1) * RedisBroker.CLUSTER_WAIT_SLICE.toMillis(), "woke after " + tookMs + " ms");
    }

    @Test
    void afterAFailoverTheBrokerFollowsTheSlotToItsNewMaster() throws Exception {
        String id = broker.enqueue(List.of(job("a", "before"))).get(0);
        assertTrue(broker.awaitWork(List.of("a"), Duration.ofMillis(100)), "takes the wake token, and opens a wait connection");
        int slot = cluster.slotOf("tasque:{a}:ready");
        RedisServer old = cluster.masterOf(slot);
        RedisServer promoted = cluster.failOver(slot);
        assertTrue(promoted != old);

        // the broker's slot map still names the old master, which now answers MOVED
        assertEquals(new QueueStats("a", 1, 0, 0, 0), broker.stats("a"));
        broker.enqueue(List.of(job("a", "after"), job("b", "other")));
        assertTrue(broker.awaitWork(List.of("a"), Duration.ofSeconds(1)), "the wait moved to the new master too");
        Reservation r = broker.reserve(List.of("a", "b"), 10, LEASE);
        assertEquals(Set.of(id, "after", "other"), Set.copyOf(r.deliveries().stream().map(d -> d.id()).toList()));
        assertEquals("2", promoted.command("HLEN", "tasque:{a}:jobs"));
        assertTrue(old.command("INFO", "errorstats").contains("errorstat_MOVED"), "the old master redirected the broker");
    }

    @Test
    void aClusterUriNamesSeedsAndReplicasButNoDatabase() {
        BrokerUri uri = BrokerUri.parse("redis-cluster://u:secret@10.0.0.1:7000,10.0.0.2:7001,10.0.0.3?replicas=1");
        assertTrue(RedisBrokerProvider.cluster(uri));
        assertEquals(3, uri.nodes().size());
        assertEquals(6379, uri.nodes().get(2).port());
        assertEquals(1, RedisBrokerProvider.withReplicas(uri, BrokerOptions.defaults()).replicas());
        IllegalArgumentException db = assertThrows(IllegalArgumentException.class,
                () -> BrokerUri.parse("redis-cluster://10.0.0.1:7000/1"));
        assertTrue(db.getMessage().contains("has no databases"), db.getMessage());
    }
}
