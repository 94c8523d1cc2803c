package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.client.DeadTask;
import io.tasque.client.JobState;
import io.tasque.client.TasqueAdmin;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.AclUsers;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The least-privilege ACL lines of docs/SECURITY.md, read from that file and applied to a real Redis: with
 * them a submit → handle round trip and the admin calls work and Redis refuses nothing; without one of their
 * commands the call fails as a refusal naming NOPERM and the command.
 */
@WithRedis
class AclTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SECURITY_DOC = Path.of("..", "docs", "SECURITY.md");

    private final RedisServer redis;
    private final AclUsers users;

    AclTest(RedisServer redis) {
        this.redis = redis;
        this.users = new AclUsers(redis, SECURITY_DOC);
    }

    @BeforeEach
    void createUsersFromTheDoc() {
        for (String user : List.of("tasque-worker", "tasque-submit", "tasque-admin")) {
            users.create(user);
        }
        redis.command("ACL", "LOG", "RESET");
    }

    private String uri(String user) {
        return users.uri(user);
    }

    @Test
    void theDocumentedLinesAreEnoughForARoundTripTheAdminCallsAndJobControl() throws InterruptedException {
        Set<String> done = ConcurrentHashMap.newKeySet();
        Map<String, Integer> doomedRuns = new ConcurrentHashMap<>();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        try (TasqueClient submitter = TasqueClient.connect(uri("tasque-submit"));
                TasqueClient operator = TasqueClient.connect(uri("tasque-admin"));
                Worker worker = Worker.builder().broker(uri("tasque-worker")).shutdownHook(false)
                        .lease(Duration.ofSeconds(2)).janitorInterval(Duration.ofMillis(200))
                        .retryBackoff(Duration.ofMillis(10), 1, Duration.ofMillis(10)).maxAttempts(2)
                        .handle("ok", task -> done.add(task.id()))
                        .handle("flaky", task -> {
                            if (task.attempt() == 1) {
                                throw new IllegalStateException("first run fails");
                            }
                            done.add(task.id());
                        })
                        .handle("doomed", task -> {
                            doomedRuns.merge(task.id(), 1, Integer::sum);
                            throw new IllegalStateException("always fails");
                        })
                        .handle("long", task -> {
                            started.countDown();
                            Thread.sleep(60_000);
                        })
                        .handle("limited", task -> done.add(task.id()),
                                HandlerOptions.builder().rateLimit(100, Duration.ofSeconds(1)).maxRunning(2).build())
                        .build().start()) {
            List<String> ids = new ArrayList<>();
            ids.add(submitter.submit(Task.of("ok")));
            ids.add(submitter.submit(Task.of("ok"), Duration.ofMillis(50)));
            ids.addAll(submitter.submitAll(List.of(Task.of("ok"), Task.of("ok"))));
            ids.add(submitter.submit(Task.of("flaky")));
            ids.addAll(submitter.submitAll(List.of(Task.of("limited"), Task.of("limited"), Task.of("limited"))));
            String doomed = submitter.submit(Task.of("doomed"));
            String doomedToo = submitter.submit(Task.of("doomed"));
            await().atMost(WAIT).until(() -> done.containsAll(ids));

            TasqueAdmin admin = operator.admin();
            await().atMost(WAIT).until(() -> admin.stats("doomed").dead() == 2);
            assertTrue(admin.queues().containsAll(List.of("doomed")), admin.queues().toString());
            assertEquals(2, admin.stats().stream().filter(s -> s.name().equals("doomed")).findFirst().orElseThrow().dead());
            List<DeadTask> dead = admin.deadTasks("doomed");
            assertEquals(Set.of(doomed, doomedToo), Set.of(dead.get(0).id(), dead.get(1).id()));
            assertTrue(admin.deleteDead("doomed", doomedToo));
            assertTrue(admin.retryDead("doomed", doomed).retried());
            await().atMost(WAIT).until(() -> doomedRuns.get(doomed) == 4);
            operator.submit(Task.of("ok"));

            // what tasque stats and the dashboard read: run totals, and the queues that live workers serve
            await().atMost(WAIT).until(() -> admin.totals("doomed").orElseThrow().failed() == 6);
            assertEquals(1, admin.totals("flaky").orElseThrow().failed());
            assertTrue(admin.totals("ok").orElseThrow().completed() >= 4, admin.totals("ok").toString());
            assertTrue(admin.queuesInUse().containsAll(List.of("ok", "flaky", "doomed", "long", "limited")),
                    admin.queuesInUse().toString());

            // job control: a caller-chosen id, its lookup, cancels of a waiting and a running job
            String chosen = submitter.submit(Task.of("ok").id("order-42"));
            await().atMost(WAIT).until(() -> admin.job("ok", chosen).map(j -> j.state() == JobState.SUCCEEDED).orElse(false));
            assertEquals(chosen, submitter.submit(Task.of("ok").id("order-42")));
            String waiting = submitter.submit(Task.of("ok"), Duration.ofHours(1));
            assertTrue(submitter.cancel("ok", waiting));
            String running = submitter.submit(Task.of("long"));
            assertTrue(started.await(20, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(submitter.cancel("long", running));
            await().atMost(WAIT).until(() -> admin.stats("long").running() == 0);
            assertEquals(JobState.CANCELLED, admin.job("long", running).orElseThrow().state());
            assertEquals(1, admin.jobs("ok", JobState.CANCELLED, 10).size());

            // schedules: the operator registers and removes one, the worker fires its ticks
            operator.scheduleEvery("every-second", Duration.ofSeconds(1), Task.of("ok"));
            await().atMost(WAIT).until(() -> done.stream().anyMatch(id -> id.startsWith("every-second@")));
            await().atMost(WAIT).until(() -> admin.schedules().get(0).lastFire() != null);
            assertTrue(operator.unschedule("every-second"));
        }
        assertEquals("", redis.command("ACL", "LOG"), "Redis refused something; ACL LOG:");
    }

    @Test
    void aWorkerWithoutEvalshaIsRefusedNamingNopermAndTheCommand() {
        users.create("tasque-worker", "-evalsha");
        try (Broker broker = Brokers.open(uri("tasque-worker"), BrokerOptions.defaults())) {
            BrokerException e = assertThrows(BrokerException.class, () -> broker.reserve(List.of("ok"), 1, Duration.ofSeconds(30)));
            assertEquals(BrokerException.Kind.REFUSED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("NOPERM") && e.getMessage().contains("'evalsha'"), e.getMessage());
        }
    }

    @Test
    void aSubmitterWithoutRpushIsRefusedNamingNopermAndTheCommand() {
        users.create("tasque-submit", "-rpush");
        try (TasqueClient submitter = TasqueClient.connect(uri("tasque-submit"))) {
            BrokerException e = assertThrows(BrokerException.class, () -> submitter.submit(Task.of("ok")));
            assertEquals(BrokerException.Kind.REFUSED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("NOPERM") && e.getMessage().contains("'rpush'"), e.getMessage());
        }
        assertEquals("0", redis.command("DBSIZE"), "nothing stored");
    }

    @Test
    void aWorkerWithoutACommandOfItsScriptsIsRefusedPointingAtTheAclLog() {
        users.create("tasque-worker", "-zadd");
        redis.command("RPUSH", "tasque:{ok}:ready", "some-id");
        redis.command("HSET", "tasque:{ok}:jobs", "some-id", "{}");
        try (Broker broker = Brokers.open(uri("tasque-worker"), BrokerOptions.defaults())) {
            BrokerException e = assertThrows(BrokerException.class, () -> broker.reserve(List.of("ok"), 1, Duration.ofSeconds(30)));
            assertEquals(BrokerException.Kind.REFUSED, e.kind(), e.getMessage());
            // inside a script Redis 7.0 does not name the command; its ACL LOG does
            assertTrue(e.getMessage().contains("reserve failed") && e.getMessage().contains("can't run this command")
                    && e.getMessage().contains("ACL LOG"), e.getMessage());
            assertTrue(redis.command("ACL", "LOG").contains("zadd"), redis.command("ACL", "LOG"));
        }
    }
}
