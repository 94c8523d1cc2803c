package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.OutgoingJob;
import io.tasque.testkit.RedisCluster;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedisCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An idle wait over queues on three masters of a real Redis Cluster blocks on all of them at once
 * ({@link ParallelWait}): a job on any master wakes it, the other blocked waits are then ended, and an interrupt ends
 * them all.
 */
@WithRedisCluster
class ParallelWaitTest {

    private static final Duration DEADLINE = Duration.ofSeconds(4);
    private final RedisCluster cluster;
    private RedisBroker broker;

    ParallelWaitTest(RedisCluster cluster) {
        this.cluster = cluster;
    }



    @BeforeEach
    void open() {
        broker = new RedisBroker(BrokerUri.parse(cluster.uri()), BrokerOptions.defaults());
    }

    @AfterEach
    void close() {
        broker.close();
    }

    private List<RedisServer> masters() {
        return cluster.masters();
    }

    private static long blockedOn(RedisServer node) {
        return node.command("INFO", "clients").lines().filter(l -> l.startsWith("blocked_clients:"))
                .mapToLong(l -> Long.parseLong(l.substring("blocked_clients:".length()).strip())).sum();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private CompletableFuture<Boolean> waitInBackground() {
        return CompletableFuture.supplyAsync(() -> broker.awaitWork(RedisClusterBrokerTest.SPREAD, Duration.ofSeconds(5)));
    }

    @Test
    void anIdleWaitBlocksOnEveryMasterAtOnceAndAnInterruptEndsItEverywhere() throws Exception {
        assertEquals(3, masters().size());
        CompletableFuture<Boolean> woken = waitInBackground();
        await("a blocked wait on each of the three masters", () -> masters().stream().allMatch(m -> blockedOn(m) >= 1));
        broker.interruptWait();
        assertFalse(woken.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "interrupted, not woken by work");
        await("no wait left blocked", () -> masters().stream().allMatch(m -> blockedOn(m) == 0));
    }

    @Test
    void aJobOnAnyMasterWakesTheWaitAndEndsTheOthers() throws Exception {
        for (String queue : List.of("a", "c", "e")) {
            CompletableFuture<Boolean> woken = waitInBackground();
            await("a blocked wait on each master", () -> masters().stream().allMatch(m -> blockedOn(m) >= 1));
            broker.enqueue(List.of(new OutgoingJob(queue, "job-" + queue, new byte[] {1}, 0)));
            assertTrue(woken.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "woken by the job of " + queue);
            await("the other masters' waits ended", () -> masters().stream().allMatch(m -> blockedOn(m) == 0));
        }
    }

    @Test
    void anInterruptJustBeforeTheWaitStillEndsIt() throws Exception {
        broker.interruptWait();
        assertFalse(waitInBackground().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        CompletableFuture<Boolean> next = waitInBackground();
        await("the next wait to block on each master", () -> masters().stream().allMatch(m -> blockedOn(m) >= 1));
        broker.interruptWait();
        assertFalse(next.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
    }
}
