package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.JobIds;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.Delivery;
import io.tasque.broker.OutgoingJob;
import io.tasque.testkit.LogCapture;
import io.tasque.testkit.RedisSentinelDeployment;
import io.tasque.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code redis-sentinel://} broker through a real failover: after the master is SIGKILLed and the sentinels
 * promote its replica, the same broker object works on the new master, its blocking wait too, and says once
 * that the master moved. What a submit confirmed by a replica ({@code ?replicas=1}) stored is still there.
 */
class RedisSentinelFailoverTest {

    private static final BrokerOptions QUICK = BrokerOptions.builder().commandTimeout(Duration.ofSeconds(1))
            .connectTimeout(Duration.ofSeconds(1)).build();
    private static final Duration FAILOVER = Duration.ofSeconds(20);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration RETRY_INTERVAL = Duration.ofMillis(50);
    /** Well under {@link Broker#MAX_WAIT}, so a wait blocked on the old master does not pass for woken. */
    private static final Duration WAKE = Duration.ofSeconds(2);

    private RedisSentinelDeployment deployment;

    @BeforeEach
    void start() {
        deployment = RedisSentinelDeployment.start();
    }

    @AfterEach
    void stop() {
        deployment.close();
    }

    private static OutgoingJob job(String id) {
        return new OutgoingJob("q", id, new byte[] {'x'}, 0);
    }

    @Test
    void aBrokerFollowsThePromotedMasterKeepsWhatAReplicaConfirmedAndSaysOnceThatTheMasterMoved() {
        try (LogCapture log = LogCapture.start(); Broker broker = Brokers.open(deployment.uri() + "?replicas=1", QUICK)) {
            List<String> before = List.of(JobIds.next(), JobIds.next());
            broker.enqueue(List.of(job(before.get(0)), job(before.get(1))));
            RedisServer old = deployment.killMaster();
            RedisServer promoted = deployment.awaitPromotion(old, FAILOVER);
            // no replica is left to confirm a write, so from here on the broker runs without replicas=1
            try (Broker after = Brokers.open(deployment.uri(), QUICK)) {
                String id = JobIds.next();
                eventually(() -> after.enqueue(List.of(job(id))));
                List<String> leased = eventually(() -> after.reserve(List.of("q"), 10, LEASE)).deliveries().stream()
                        .map(Delivery::id).toList();
                assertEquals(List.of(before.get(0), before.get(1), id), leased, "the replica had both confirmed submits");
            }
            // the first broker, which had connections to the killed master, carries on by itself
            eventually(() -> broker.stats("q"));
            assertEquals(3, broker.stats("q").inFlight());
            List<String> moves = log.linesContaining("master mymaster moved from");
            assertEquals(1, moves.size(), String.join("\n", log.lines()));
            assertTrue(moves.get(0).contains(deployment.uri() + "/0: master mymaster moved from 127.0.0.1:" + old.port()
                    + " to 127.0.0.1:" + promoted.port()), moves.get(0));
        }
    }

    @Test
    void aWaitForWorkMovesToThePromotedMasterAndIsWokenThere() throws Exception {
        try (Broker broker = Brokers.open(deployment.uri(), QUICK)) {
            assertFalse(broker.awaitWork(List.of("q"), Duration.ofMillis(10)), "the wait connection is on the first master");
            RedisServer old = deployment.killMaster();
            deployment.awaitPromotion(old, FAILOVER);
            // the wait's connection to the dead master fails once; the next wait connects to the new master
            assertWokenOnTheNewMaster(broker);
        }
    }

    /**
     * A wait for work, repeated while it fails (a connection to the dead master) or times out, is woken within
     * {@link #WAKE} by a job stored through the same broker: it waits on the new master, not the old one.
     */
    private static void assertWokenOnTheNewMaster(Broker broker) throws Exception {
        CompletableFuture<Boolean> woken = CompletableFuture.supplyAsync(() -> {
            long deadline = System.nanoTime() + FAILOVER.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (broker.awaitWork(List.of("q"), Broker.MAX_WAIT)) {
                        return true;
                    }
                } catch (BrokerException stale) {
                    pause();
                }
            }
            return false;
        });
        String id = JobIds.next();
        eventually(() -> broker.enqueue(List.of(job(id))));
        try {
            assertTrue(woken.get(WAKE.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            throw new AssertionError("the wait for work was not woken within " + WAKE.toMillis() + " ms of a job stored on the new master", e);
        }
    }

    @Test
    void afterAFailoverWithTheOldMasterStillUpAWaitForWorkMovesToTheNewMaster() throws Exception {
        try (Broker broker = Brokers.open(deployment.uri(), QUICK)) {
            assertFalse(broker.awaitWork(List.of("q"), Duration.ofMillis(10)), "the wait connection is on the first master");
            RedisServer old = deployment.failover();
            deployment.awaitPromotion(old, FAILOVER);
            assertWokenOnTheNewMaster(broker);
        }
    }

    @Test
    void unreachableSentinelsFailTheFirstCallNotTheOpenNamingTheBrokerAndTheMaster() {
        try (Broker broker = Brokers.open("redis-sentinel://u:hunter2@127.0.0.1:1/mymaster", QUICK)) {
            BrokerException e = assertThrows(BrokerException.class, () -> broker.enqueue(List.of(job(JobIds.next()))));
            assertEquals(BrokerException.Kind.UNREACHABLE, e.kind());
            assertTrue(e.getMessage().startsWith("redis-sentinel://127.0.0.1:1/mymaster/0: enqueue failed"), e.getMessage());
            assertTrue(e.getMessage().contains("mymaster"), e.getMessage());
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
    }

    @Test
    void sentinelsThatDoNotKnowTheMasterNameFailTheCallSayingSo() {
        try (Broker broker = Brokers.open(deployment.uri().replace("/mymaster", "/othermaster"), QUICK)) {
            BrokerException e = assertThrows(BrokerException.class, () -> broker.stats("q"));
            assertTrue(e.getMessage().contains("othermaster"), e.getMessage());
        }
    }

    /** Repeats a call that fails while the failover is under way, until it works or the failover deadline passes. */
    private static <T> T eventually(Supplier<T> call) {
        long deadline = System.nanoTime() + FAILOVER.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (BrokerException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("still failing " + FAILOVER.toSeconds() + " s after the failover", e);
                }
                pause();
            }
        }
    }

    /** A turn's pause between calls that fail at once (connection refused), so the loop does not spin. */
    private static void pause() {
        try {
            Thread.sleep(RETRY_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
