package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.BrokerException;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.LogCapture;
import io.tasque.testkit.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link Worker#health()} tells an application, and how start() treats a broker that refuses or is not there. */
class WorkerHealthTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private RedisServer redis;
    private Worker worker;
    private LogCapture log;

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
        log = LogCapture.start();
    }

    @AfterEach
    void stopAll() {
        if (worker != null) {
            worker.close();
        }
        log.close();
        redis.close();
    }

    private Worker.Builder worker(String uri) {
        return Worker.builder().broker(uri).shutdownHook(false).gracePeriod(Duration.ZERO).idleBlock(Duration.ofMillis(200))
                .handle("job", t -> { });
    }

    @Test
    void healthFollowsTheBrokerGoingAndComingBack() {
        worker = worker(redis.uri()).build().start();
        WorkerHealth up = worker.health();
        assertTrue(up.healthy(), up.toString());
        assertNull(up.lastError());

        redis.kill();
        await().atMost(WAIT).until(() -> !worker.health().brokerReachable());
        WorkerHealth down = worker.health();
        assertTrue(down.running());
        assertTrue(down.lastError().startsWith("unreachable: "), down.lastError());
        assertFalse(down.since().isBefore(up.since()));

        redis.restart();
        await().atMost(WAIT).until(() -> worker.health().brokerReachable());
        WorkerHealth back = worker.health();
        assertTrue(back.healthy(), back.toString());
        assertTrue(back.since().isAfter(down.since()) || back.since().equals(down.since()));
        try (TasqueClient client = TasqueClient.connect(redis.uri())) {
            List<String> ran = new CopyOnWriteArrayList<>();
            worker.close();
            worker = Worker.builder().broker(redis.uri()).shutdownHook(false).handle("job", t -> ran.add(t.id())).build().start();
            String id = client.submit(Task.of("job"));
            await().atMost(WAIT).until(() -> ran.contains(id));
        }
        assertFalse(worker.health().since().isAfter(Instant.now()));
    }

    @Test
    void startFailsAtOnceWhenTheBrokerRefusesThePassword() {
        redis.command("ACL", "SETUSER", "worker", "on", ">right", "~*", "+@all");
        Worker w = worker("redis://worker:wrong@127.0.0.1:" + redis.port()).build();
        BrokerException e = assertThrows(BrokerException.class, w::start);
        assertEquals(BrokerException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("WRONGPASS"), e.getMessage());
        assertTrue(e.getMessage().contains("check the user's ACL/password"), e.getMessage());
        assertFalse(w.isRunning());
        assertFalse(e.getMessage().contains("wrong"), "the password is not in the message: " + e.getMessage());
    }

    @Test
    void startFailsAtOnceWhenTheUserMayNotRunTasqueCommands() {
        redis.command("ACL", "SETUSER", "reader", "on", ">pw", "~*", "-@all");
        Worker w = worker("redis://reader:pw@127.0.0.1:" + redis.port()).build();
        BrokerException e = assertThrows(BrokerException.class, w::start);
        assertEquals(BrokerException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("NOPERM"), e.getMessage());
    }

    @Test
    void aRefusalAfterStartIsReportedAsRefusedNotUnreachable() {
        redis.command("ACL", "SETUSER", "limited", "on", ">pw", "~*", "+@all");
        worker = worker("redis://limited:pw@127.0.0.1:" + redis.port()).build().start();
        redis.command("ACL", "SETUSER", "limited", "-evalsha", "-blpop");
        await().atMost(WAIT).until(() -> !worker.health().brokerReachable());
        assertTrue(worker.health().lastError().startsWith("refused: "), worker.health().lastError());
        assertTrue(worker.health().lastError().contains("NOPERM"), worker.health().lastError());
        assertEquals(List.of(), log.linesContaining("is unreachable"));
        assertEquals(1, log.linesContaining("check the user's ACL/password").size(), "one line for the refusal");

        redis.command("ACL", "SETUSER", "limited", "+@all");
        await().atMost(WAIT).until(() -> worker.health().healthy());
    }

    @Test
    void startDoesNotWaitForABrokerThatIsNotThereYet() {
        int port = redis.port();
        redis.kill();
        long t0 = System.nanoTime();
        worker = worker("redis://127.0.0.1:" + port).build().start();
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "start() returned at once");
        assertTrue(worker.isRunning());
        WorkerHealth h = worker.health();
        assertFalse(h.brokerReachable());
        assertTrue(h.lastError().startsWith("unreachable: "), h.lastError());
        redis.restart();
        await().atMost(WAIT).until(() -> worker.health().healthy());
    }
}
