package io.tasque.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import org.junit.jupiter.api.Test;

/** {@link TasqueAdmin#partitions(String, int)}: the operator's switch, its bad input, and brokers without it. */
@WithRedis
class AdminPartitionsTest {

    private final RedisServer redis;

    AdminPartitionsTest(RedisServer redis) {
        this.redis = redis;
    }

    @Test
    void aSplitQueueSpreadsSubmitsAndCountsEveryPartition() {
        try (TasqueClient client = TasqueClient.connect(redis.uri())) {
            client.admin().partitions("mail", 2);
            for (int i = 0; i < 10; i++) {
                client.submit(Task.of("mail").set("i", i));
            }
            assertEquals("5", redis.command("LLEN", "tasque:{mail}:ready"));
            assertEquals("5", redis.command("LLEN", "tasque:{mail#1}:ready"));
            assertEquals(new QueueCounts("mail", 10, 0, 0, 0), client.admin().stats("mail"));
            assertEquals(2, client.admin().partitions("mail"));
            assertEquals(1, client.admin().partitions("other"));
        }
    }

    @Test
    void aBadCountOrNameIsRefusedNamingTheValue() {
        try (TasqueClient client = TasqueClient.connect(redis.uri())) {
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> client.admin().partitions("mail", 0));
            assertTrue(zero.getMessage().contains("was 0") && zero.getMessage().contains("'mail'"), zero.getMessage());
            IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> client.admin().partitions("mail#1", 2));
            assertTrue(name.getMessage().contains("'mail#1'"), name.getMessage());
            IllegalArgumentException submit = assertThrows(IllegalArgumentException.class, () -> client.submit(Task.of("mail#1")));
            assertTrue(submit.getMessage().contains("partition"), submit.getMessage());
        }
    }

    @Test
    void aBrokerWithoutPartitionsSaysSo() {
        try (TasqueClient client = TasqueClient.connect("memory://partitions-test")) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> client.admin().partitions("mail", 2));
            assertTrue(e.getMessage().contains("memory://"), e.getMessage());
            assertEquals(1, client.admin().partitions("mail"));
        }
    }
}
