package io.tasque.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.Delivery;
import io.tasque.broker.WorkerBeat;
import io.tasque.broker.redis.RedisBroker;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link TasqueAdmin#totals(String)}: the broker's count of ended runs, over every partition of a split queue; and
 * {@link TasqueAdmin#queuesInUse()}, the queues an operator's view lists.
 */
@WithRedis
class QueueTotalsTest {

    private final RedisServer redis;

    QueueTotalsTest(RedisServer redis) {
        this.redis = redis;
    }

    @Test
    void totalsCountTheRunsThatEndedInEveryPartition() {
        try (TasqueClient client = TasqueClient.connect(redis.uri());
                RedisBroker worker = new RedisBroker(BrokerUri.parse(redis.uri()), BrokerOptions.builder().build())) {
            assertEquals(Optional.of(new QueueTotals("mail", 0, 0)), client.admin().totals("mail"));
            client.admin().partitions("mail", 2);
            for (int i = 0; i < 4; i++) {
                client.submit(Task.of("mail").set("i", i));
            }
            assertEquals("2", redis.command("LLEN", "tasque:{mail#1}:ready"), "half the jobs are in the second partition");
            List<Delivery> got = worker.reserve(List.of("mail"), 4, Duration.ofSeconds(30)).deliveries();
            assertEquals(4, got.size());
            assertArrayEquals(new boolean[] {true, true, true}, worker.ack(got.subList(0, 3)));
            assertTrue(worker.bury(got.get(3), "no such address"));

            assertEquals(Optional.of(new QueueTotals("mail", 3, 1)), client.admin().totals("mail"));
            assertEquals(new QueueCounts("mail", 0, 0, 0, 1), client.admin().stats("mail"), "the counts are unchanged by the totals");
        }
    }

    @Test
    void queuesInUseAddsTheQueuesOfLiveWorkersToTheQueuesThatHoldJobs() {
        try (TasqueClient client = TasqueClient.connect(redis.uri())) {
            client.submit(Task.of("mail"));
            long now = System.currentTimeMillis();
            redis.command("HSET", "tasque:workers", "live", new WorkerBeat("h1", 1, 4, 0, List.of("resize", "mail"), now, now).json());
            redis.command("HSET", "tasque:workers", "gone", new WorkerBeat("h2", 2, 4, 0, List.of("old"), now - 120_000, now - 180_000).json());
            assertEquals(List.of("mail"), client.admin().queues());
            assertEquals(List.of("mail", "resize"), client.admin().queuesInUse());
        }
    }
}
