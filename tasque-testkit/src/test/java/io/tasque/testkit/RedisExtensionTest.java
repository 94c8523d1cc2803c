package io.tasque.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@WithRedis
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisExtensionTest {

    private static RedisServer fromBeforeAll;
    private static long pidBeforeFault;
    private static int portBeforeFault;

    private final RedisServer fromConstructor;

    RedisExtensionTest(RedisServer server) {
        this.fromConstructor = server;
    }

    @BeforeAll
    static void rememberServer(RedisServer server) {
        fromBeforeAll = server;
    }

    @Test
    @Order(1)
    void theInjectedServerAnswers(RedisServer server) {
        assertEquals("PONG", server.command("PING"));
        assertSame(fromBeforeAll, server);
        assertSame(fromConstructor, server);
    }

    @Test
    @Order(2)
    void writesAKey(RedisServer server) {
        server.command("SET", "k", "v");
        assertEquals("1", server.command("DBSIZE"));
    }

    @Test
    @Order(3)
    void dataWrittenInThePreviousTestIsGone(RedisServer server) {
        assertNull(server.command("GET", "k"));
        assertEquals("0", server.command("DBSIZE"));
    }

    @Test
    @Order(4)
    void leavesTheServerPaused(RedisServer server) {
        pidBeforeFault = server.pid();
        server.pause();
        assertTrue(server.isPaused());
    }

    @Test
    @Order(5)
    void aPausedServerIsResumedBeforeTheNextTest(RedisServer server) {
        assertEquals("PONG", RespClient.call(server.host(), server.port(), Duration.ofMillis(300), "PING"));
        assertEquals(pidBeforeFault, server.pid());
    }

    @Test
    @Order(6)
    void leavesTheServerKilled(RedisServer server) {
        portBeforeFault = server.port();
        pidBeforeFault = server.pid();
        server.kill();
        assertFalse(server.isRunning());
    }

    @Test
    @Order(7)
    void aKilledServerIsRestartedOnTheSamePortBeforeTheNextTest(RedisServer server) {
        assertEquals("PONG", server.command("PING"));
        assertEquals(portBeforeFault, server.port());
        assertNotEquals(pidBeforeFault, server.pid());
    }

    @Nested
    class InANestedClass {

        @Test
        void theOuterClassServerIsShared(RedisServer server) {
            assertSame(fromBeforeAll, server);
            assertEquals("PONG", server.command("PING"));
        }
    }
}
