package io.tasque.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.testkit.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link TasqueClient#health()} against a real Redis that is up, then down, then back, and after close. */
class ClientHealthTest {

    @Test
    void healthFollowsTheBrokerAndSaysSinceWhen() {
        try (RedisServer redis = RedisServer.start();
                TasqueClient client = TasqueClient.builder().broker(redis.uri()).enqueueTimeout(Duration.ofSeconds(1)).build()) {
            ClientHealth up = client.health();
            assertTrue(up.healthy(), up.toString());
            assertNull(up.lastError());
            assertEquals(up.since(), client.health().since(), "the state did not change, nor its since");

            redis.pause();
            try {
                ClientHealth down = client.health();
                assertFalse(down.brokerReachable());
                assertTrue(down.open());
                assertTrue(down.lastError().startsWith("unreachable: " + redis.uri().replaceAll("/0$", "")), down.lastError());
            } finally {
                redis.resume();
            }
            assertTrue(client.health().healthy(), "back once the broker answers");
            client.close();
            ClientHealth closed = client.health();
            assertFalse(closed.open());
            assertEquals("closed", closed.lastError());
        }
    }
}
