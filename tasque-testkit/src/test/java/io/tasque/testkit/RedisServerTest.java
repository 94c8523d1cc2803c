package io.tasque.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisServerTest {

    @Test
    void startsOnARandomLoopbackPortAndAnswersPing() {
        try (RedisServer server = RedisServer.start()) {
            assertEquals("127.0.0.1", server.host());
            assertTrue(server.port() > 0 && server.port() != 6379, "port " + server.port());
            assertEquals("redis://127.0.0.1:" + server.port(), server.uri());
            assertEquals("PONG", server.command("PING"));
            assertEquals("bind\n127.0.0.1", server.command("CONFIG", "GET", "bind"));
            assertEquals("port\n" + server.port(), server.command("CONFIG", "GET", "port"));
            assertTrue(server.isRunning());
            assertTrue(ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    @Test
    void twoServersGetDifferentPorts() {
        try (RedisServer first = RedisServer.start(); RedisServer second = RedisServer.start()) {
            assertNotEquals(first.port(), second.port());
            assertNotEquals(first.pid(), second.pid());
            assertNotEquals(first.dataDir(), second.dataDir());
            assertEquals("PONG", first.command("PING"));
            assertEquals("PONG", second.command("PING"));
        }
    }

    @Test
    void killStopsTheProcessAtOnce() {
        try (RedisServer server = RedisServer.start()) {
            long pid = server.pid();
            server.kill();
            assertFalse(server.isRunning());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            assertThrows(ConnectException.class, () -> connect(server.port()));
            assertThrows(IllegalStateException.class, server::pid);
            server.kill(); // idempotent
            assertFalse(server.isRunning());
        }
    }

    @Test
    void pauseMakesItSilentAndResumeBringsItBack() {
        try (RedisServer server = RedisServer.start()) {
            server.pause();
            assertTrue(server.isRunning(), "a paused server is still alive");
            UncheckedIOException silent = assertThrows(UncheckedIOException.class,
                    () -> RespClient.call(server.host(), server.port(), Duration.ofMillis(300), "PING"));
            assertInstanceOf(SocketTimeoutException.class, silent.getCause());

            server.resume();
            assertEquals("PONG", RespClient.call(server.host(), server.port(), Duration.ofMillis(300), "PING"));
        }
    }

    @Test
    void restartKeepsPortAndAppendOnlyData() {
        try (RedisServer server = RedisServer.builder().appendOnly("always").start()) {
            int port = server.port();
            long firstPid = server.pid();
            assertEquals("appendonly\nyes", server.command("CONFIG", "GET", "appendonly"));
            assertEquals("OK", server.command("SET", "k", "v"));

            server.kill();
            server.restart();

            assertEquals(port, server.port());
            assertNotEquals(firstPid, server.pid());
            assertEquals("v", server.command("GET", "k"));
        }
    }

    @Test
    void restartOfARunningServerStopsItFirst() {
        try (RedisServer server = RedisServer.start()) {
            long firstPid = server.pid();
            server.restart();
            assertNotEquals(firstPid, server.pid());
            assertFalse(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false));
            assertEquals("PONG", server.command("PING"));
        }
    }

    @Test
    void theBinaryShippedInTheMavenArtifactStarts() {
        Assumptions.assumeTrue(System.getenv(RedisBinary.OVERRIDE) == null
                && System.getProperty(RedisBinary.OVERRIDE) == null, RedisBinary.OVERRIDE + " is set");

        Path shipped = RedisBinary.locate("");

        assertEquals(RedisBinary.fromJar(), shipped);
        assertTrue(shipped.getFileName().toString().contains("redis-server-7.0.15-"), shipped.toString());
        assertEquals("7.0.15", RedisBinary.version(shipped));
        try (RedisServer server = RedisServer.builder().binary(shipped).start()) {
            assertEquals(shipped, server.binary());
            assertEquals("PONG", server.command("PING"));
            assertTrue(server.command("INFO", "server").contains("redis_version:7.0.15"));
        }
    }

    @Test
    void badAppendFsyncIsRejectedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisServer.builder().appendOnly("sometimes"));
        assertTrue(e.getMessage().contains("'sometimes'"), e.getMessage());
        assertTrue(e.getMessage().contains("everysec"), e.getMessage());
    }

    @Test
    void stopShutsDownGracefullyAndIsIdempotent() throws IOException {
        try (RedisServer server = RedisServer.start()) {
            server.stop();
            assertFalse(server.isRunning());
            String log = Files.readString(server.dataDir().resolve("redis.log"));
            assertTrue(log.contains("ready to exit"), "redis.log shows no graceful shutdown:\n" + log);
            server.stop();
            assertFalse(server.isRunning());
        }
    }

    @Test
    void stopOfAPausedServerStillEndsIt() {
        try (RedisServer server = RedisServer.start()) {
            server.pause();
            server.stop();
            assertFalse(server.isRunning());
        }
    }

    @Test
    void extraArgsArePassedAsConfigOptions() {
        try (RedisServer server = RedisServer.builder().arg("maxmemory", "100mb").start()) {
            assertEquals("maxmemory\n104857600", server.command("CONFIG", "GET", "maxmemory"));
        }
    }

    @Test
    void optionsManagedByTheServerAreRejectedAsExtraArgs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisServer.builder().arg("port", "7000"));
        assertTrue(e.getMessage().contains("'port'"), e.getMessage());
    }

    @Test
    void thePortOfTheMachinesOwnRedisIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisServer.builder().port(6379));
        assertTrue(e.getMessage().contains("6379"), e.getMessage());
    }

    @Test
    void aFixedPortIsUsed() {
        int port = LoopbackPorts.pickFree();
        try (RedisServer server = RedisServer.builder().port(port).start()) {
            assertEquals(port, server.port());
            assertEquals("PONG", server.command("PING"));
        }
    }

    @Test
    void aFixedPortThatIsTakenFailsNamingThePort() throws IOException {
        try (ServerSocket squatter = new ServerSocket(0, 1, LoopbackPorts.loopback())) {
            int port = squatter.getLocalPort();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> RedisServer.builder().port(port).start());
            assertTrue(e.getMessage().contains("port " + port), e.getMessage());
        }
    }

    @Test
    void commandRendersRepliesAsStrings() {
        try (RedisServer server = RedisServer.start()) {
            assertEquals("1", server.command("INCR", "counter"));
            assertNull(server.command("GET", "missing"));
            assertEquals("OK", server.command("SET", "name", "grüße"));
            assertEquals("grüße", server.command("GET", "name"));
            server.command("RPUSH", "list", "a", "b", "c");
            assertEquals("a\nb\nc", server.command("LRANGE", "list", "0", "-1"));
            assertEquals("3", server.command("DBSIZE"));
        }
    }

    @Test
    void anErrorReplyBecomesAnIllegalStateExceptionWithTheErrorText() {
        try (RedisServer server = RedisServer.start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> server.command("NOSUCHCOMMAND"));
            assertTrue(e.getMessage().contains("ERR unknown command"), e.getMessage());
        }
    }

    @Test
    void flushAllEmptiesEveryDatabaseButKeepsScripts() {
        try (RedisServer server = RedisServer.start()) {
            String sha = server.command("SCRIPT", "LOAD", "return 1");
            server.command("SET", "a", "1");
            server.command("MOVE", "a", "1");
            server.command("SET", "b", "2");
            assertTrue(server.command("INFO", "keyspace").contains("db1:keys=1"));

            server.flushAll();

            assertEquals("0", server.command("DBSIZE"));
            assertFalse(server.command("INFO", "keyspace").contains("keys="));
            assertEquals("1", server.command("SCRIPT", "EXISTS", sha));
        }
    }

    @Test
    void closeKillsTheProcessAndDeletesItsTempDataDir() {
        RedisServer server = RedisServer.start();
        long pid = server.pid();
        Path dir = server.dataDir();
        assertTrue(Files.isDirectory(dir));

        server.close();

        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(Files.exists(dir));
        assertThrows(IllegalStateException.class, server::restart);
        server.close(); // idempotent
    }

    @Test
    void closeKeepsADataDirItDidNotCreate(@TempDir Path dir) {
        RedisServer server = RedisServer.builder().dataDir(dir).start();
        assertEquals(dir.toAbsolutePath(), server.dataDir());
        server.close();
        assertTrue(Files.exists(dir.resolve("redis.log")));
    }

    @Test
    void aBadExtraArgFailsWithTheRedisLog() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RedisServer.builder().arg("no-such-option", "1").start());
        assertTrue(e.getMessage().contains("no-such-option"), e.getMessage());
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        }
    }
}
