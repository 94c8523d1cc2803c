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
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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

    AclTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void createUsersFromTheDoc() throws IOException {
        for (String user : List.of("tasque-worker", "tasque-submit", "tasque-admin")) {
            createUser(user);
        }
        redis.command("ACL", "LOG", "RESET");
    }

    /** Runs the doc's {@code ACL SETUSER <user> …} line, with the password {@code pw-<user>}, plus any extra rules. */
    private void createUser(String user, String... extraRules) throws IOException {
        String prefix = "ACL SETUSER " + user + " ";
        List<String> lines = Files.readAllLines(SECURITY_DOC).stream().filter(l -> l.startsWith(prefix)).toList();
        assertEquals(1, lines.size(), "one line for " + user + " in " + SECURITY_DOC.toAbsolutePath());
        List<String> args = new ArrayList<>();
        for (String word : lines.get(0).trim().split("\\s+")) {
            args.add(word.equals(">CHANGE-ME") ? ">pw-" + user : word);
        }
        args.addAll(Arrays.asList(extraRules));
        redis.command(args.toArray(String[]::new));
    }

    private String uri(String user) {
        return "redis://" + user + ":pw-" + user + "@127.0.0.1:" + redis.port();
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
    void aWorkerWithoutEvalshaIsRefusedNamingNopermAndTheCommand() throws IOException {
        createUser("tasque-worker", "-evalsha");
        try (Broker broker = Brokers.open(uri("tasque-worker"), BrokerOptions.defaults())) {
            BrokerException e = assertThrows(BrokerException.class, () -> broker.reserve(List.of("ok"), 1, Duration.ofSeconds(30)));
            assertEquals(BrokerException.Kind.REFUSED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("NOPERM") && e.getMessage().contains("'evalsha'"), e.getMessage());
        }
    }

    @Test
    void aSubmitterWithoutRpushIsRefusedNamingNopermAndTheCommand() throws IOException {
        createUser("tasque-submit", "-rpush");
        try (TasqueClient submitter = TasqueClient.connect(uri("tasque-submit"))) {
            BrokerException e = assertThrows(BrokerException.class, () -> submitter.submit(Task.of("ok")));
            assertEquals(BrokerException.Kind.REFUSED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("NOPERM") && e.getMessage().contains("'rpush'"), e.getMessage());
        }
        assertEquals("0", redis.command("DBSIZE"), "nothing stored");
    }

    @Test
    void aWorkerWithoutACommandOfItsScriptsIsRefusedPointingAtTheAclLog() throws IOException {
        createUser("tasque-worker", "-zadd");
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
