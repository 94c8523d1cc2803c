package io.tasque.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.JobIds;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.Brokers;
import io.tasque.broker.Delivery;
import io.tasque.broker.OutgoingJob;
import io.tasque.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ?replicas=N} (and {@link BrokerOptions#replicas()}): a submit and an ack return only once N replicas hold
 * them, and fail saying so when they do not confirm in time. On a real master with a real replica.
 */
class RedisReplicasTest {

    private static final BrokerOptions QUICK = BrokerOptions.builder().commandTimeout(Duration.ofSeconds(3)).build();

    private RedisServer master;
    private RedisServer replica;

    @BeforeEach
    void startMasterAndReplica() {
        master = RedisServer.builder().arg("repl-diskless-sync-delay", "0").start();
        replica = RedisServer.builder().arg("replicaof", "127.0.0.1 " + master.port()).start();
        // the stream flows once the replica has a write made after it synced (after a diskless sync the master
        // starts the stream only on the replica's first acknowledgement, up to a second later)
        master.command("SET", "replica-check", "1");
        await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(replica.command("GET", "replica-check")));
    }

    @AfterEach
    void stop() {
        replica.close();
        master.close();
    }

    private Broker open(String query) {
        return Brokers.open("redis://127.0.0.1:" + master.port() + query, QUICK);
    }

    private static OutgoingJob job(String id) {
        return new OutgoingJob("q", id, new byte[] {'x'}, 0);
    }

    @Test
    void theUriSetsTheReplicasAndRefusesABadCount() {
        BrokerUri uri = BrokerUri.parse("redis://h?replicas=2");
        assertEquals(2, RedisBrokerProvider.withReplicas(uri, BrokerOptions.defaults()).replicas());
        assertEquals(0, RedisBrokerProvider.withReplicas(BrokerUri.parse("redis://h"), BrokerOptions.defaults()).replicas());
        for (String bad : List.of("redis://h?replicas=-1", "redis://h?replicas=two", "rediss://h?replicas=")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerUri.parse(bad));
            assertTrue(e.getMessage().contains("'replicas'"), e.getMessage());
        }
    }

    @Test
    void aSubmitWithReplicasReturnsOnlyOnceTheReplicaHoldsTheJob() {
        try (Broker broker = open("?replicas=1")) {
            String id = JobIds.next();
            broker.enqueue(List.of(job(id)));
            // no waiting here: WAIT returned, so the replica has applied the write
            assertEquals("1", replica.command("HEXISTS", "tasque:{q}:jobs", id));
            Delivery d = broker.reserve(List.of("q"), 1, Duration.ofSeconds(30)).deliveries().get(0);
            assertArrayEquals(new boolean[] {true}, broker.ack(List.of(d)));
            assertEquals("0", replica.command("HEXISTS", "tasque:{q}:jobs", id), "the ack reached the replica too");
        }
    }

    @Test
    void aSubmitOrAckTheReplicaDoesNotConfirmFailsSayingTheMasterHasIt() {
        try (Broker broker = open("?replicas=1")) {
            broker.enqueue(List.of(job(JobIds.next())));
            Delivery d = broker.reserve(List.of("q"), 1, Duration.ofSeconds(30)).deliveries().get(0);
            replica.pause();
            try {
                BrokerException submit = assertThrows(BrokerException.class, () -> broker.enqueue(List.of(job(JobIds.next()))));
                assertTrue(submit.getMessage().contains("enqueue: the master has it, but only 0 of 1 replica(s) confirmed"),
                        submit.getMessage());
                BrokerException ack = assertThrows(BrokerException.class, () -> broker.ack(List.of(d)));
                assertTrue(ack.getMessage().contains("ack: the master has it, but only 0 of 1"), ack.getMessage());
            } finally {
                replica.resume();
            }
        }
    }

    @Test
    void withoutReplicasASubmitDoesNotWaitForAPausedReplica() {
        try (Broker broker = open("")) {
            replica.pause();
            try {
                broker.enqueue(List.of(job(JobIds.next())));
                assertEquals(1, broker.stats("q").ready());
            } finally {
                replica.resume();
            }
        }
    }
}
