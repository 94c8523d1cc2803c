package io.tasque.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.BrokerException;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connecting asks the server once: a wrong password fails {@code connect} in the server's words, while a
 * server that is down does not (the client works as soon as it is back; a submit fails within its timeout).
 */
@WithRedis
class ConnectRefusalTest {

    private final RedisServer redis;

    ConnectRefusalTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void addUser() {
        redis.command("ACL", "SETUSER", "alice", "on", ">right-Pw9", "~*", "+@all");
    }

    @Test
    void aWrongPasswordFailsAtConnectInTheServersWords() {
        BrokerException e = assertThrows(BrokerException.class,
                () -> TasqueClient.connect("redis://alice:wrong-Pw9@127.0.0.1:" + redis.port()).close());
        assertEquals(BrokerException.Kind.REFUSED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("WRONGPASS"), e.getMessage());
        assertTrue(e.getMessage().contains("redis://127.0.0.1:" + redis.port() + "/0"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-Pw9"), e.getMessage());
    }

    @Test
    void theRightPasswordConnectsAndSubmits() {
        try (TasqueClient c = TasqueClient.connect("redis://alice:right-Pw9@127.0.0.1:" + redis.port())) {
            c.submit(Task.of("foo"));
            assertEquals(1, c.admin().stats("foo").ready());
        }
    }

    @Test
    void aServerThatIsDownDoesNotFailConnectOnlyTheSubmit() {
        try (TasqueClient c = TasqueClient.builder().broker("redis://alice:right-Pw9@127.0.0.1:1")
                .enqueueTimeout(Duration.ofMillis(800)).build()) {
            BrokerException e = assertThrows(BrokerException.class, () -> c.submit(Task.of("foo")));
            assertEquals(BrokerException.Kind.UNREACHABLE, e.kind(), e.getMessage());
        }
    }
}
