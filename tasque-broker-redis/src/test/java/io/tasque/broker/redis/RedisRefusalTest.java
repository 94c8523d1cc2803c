package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.JobIds;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.OutgoingJob;
import io.tasque.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A wrong password or a missing ACL permission is a refusal ({@link BrokerException.Kind#REFUSED}) in the
 * server's own words, naming the refused command; it is never reported as an outage.
 */
class RedisRefusalTest {

    private static final String PASSWORD = "Pw-7Kq2";
    private static final BrokerOptions QUICK = BrokerOptions.builder().commandTimeout(Duration.ofSeconds(2)).build();

    /** Without a password for the default user; restricted users are added per test. */
    private static RedisServer open;
    /** The default user needs {@link #PASSWORD}. */
    private static RedisServer locked;

    @BeforeAll
    static void startServers() {
        open = RedisServer.start();
        locked = RedisServer.start();
        // set after the start, so the testkit's readiness PING needs no password
        locked.command("CONFIG", "SET", "requirepass", PASSWORD);
    }

    @AfterAll
    static void stopServers() {
        open.close();
        locked.close();
    }

    @Test
    void aWrongPasswordIsARefusalInTheServersWords() {
        BrokerException e = refusal("redis://:wrong@127.0.0.1:" + locked.port(), Broker::ping);
        assertTrue(e.getMessage().contains("WRONGPASS"), e.getMessage());
    }

    @Test
    void aMissingPasswordIsARefusalInTheServersWords() {
        BrokerException e = refusal("redis://127.0.0.1:" + locked.port(), Broker::ping);
        assertTrue(e.getMessage().contains("NOAUTH"), e.getMessage());
    }

    @Test
    void aWrongPasswordOfAnAclUserIsARefusal() {
        open.command("ACL", "SETUSER", "alice", "on", ">right-one", "~*", "+@all");
        BrokerException e = refusal("redis://alice:wrong@127.0.0.1:" + open.port(), Broker::ping);
        assertTrue(e.getMessage().contains("WRONGPASS"), e.getMessage());
    }

    @Test
    void aCommandTheUserMayNotRunIsARefusalNamingIt() {
        open.command("ACL", "SETUSER", "noscripts", "on", ">pw", "~*", "+@all", "-evalsha");
        BrokerException e = refusal("redis://noscripts:pw@127.0.0.1:" + open.port(),
                b -> b.reserve(List.of("q"), 1, Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("NOPERM") && e.getMessage().contains("evalsha"), e.getMessage());
    }

    @Test
    void aSubmitRefusedInsideItsTransactionNamesTheRefusedCommandNotTheAbortedTransaction() {
        open.command("ACL", "SETUSER", "nopush", "on", ">pw", "~*", "+@all", "-rpush");
        BrokerException e = refusal("redis://nopush:pw@127.0.0.1:" + open.port(),
                b -> b.enqueueNew(List.of(new OutgoingJob("q", JobIds.next(), new byte[] {'x'}, 0))));
        assertTrue(e.getMessage().contains("NOPERM") && e.getMessage().contains("rpush"), e.getMessage());
        assertFalse(e.getMessage().contains("EXECABORT"), e.getMessage());
        assertEquals("0", open.command("DBSIZE"), "nothing stored");
    }

    @Test
    void aKeyOutsideTheUsersPatternsIsARefusal() {
        open.command("ACL", "SETUSER", "otherkeys", "on", ">pw", "~other:*", "+@all");
        BrokerException e = refusal("redis://otherkeys:pw@127.0.0.1:" + open.port(),
                b -> b.enqueueNew(List.of(new OutgoingJob("q", JobIds.next(), new byte[] {'x'}, 0))));
        assertTrue(e.getMessage().contains("NOPERM"), e.getMessage());
    }

    @Test
    void anUnreachableServerStaysAnOutage() {
        try (RedisBroker b = new RedisBroker(BrokerUri.parse("redis://:pw@127.0.0.1:1"), QUICK)) {
            BrokerException e = assertThrows(BrokerException.class, b::ping);
            assertEquals(BrokerException.Kind.UNREACHABLE, e.kind(), e.getMessage());
        }
    }

    private static BrokerException refusal(String uri, Consumer<RedisBroker> call) {
        try (RedisBroker b = new RedisBroker(BrokerUri.parse(uri), QUICK)) {
            BrokerException e = assertThrows(BrokerException.class, () -> call.accept(b));
            assertEquals(BrokerException.Kind.REFUSED, e.kind(), e.getMessage());
            return e;
        }
    }
}
