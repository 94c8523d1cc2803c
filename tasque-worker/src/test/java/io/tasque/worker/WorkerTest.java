package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tasque.client.QueueCounts;
import io.tasque.Task;
import io.tasque.client.DeadTask;
import io.tasque.client.TasqueClient;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.InterceptedBroker;
import io.tasque.retry.RetryPolicy;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@WithRedis
class WorkerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final RedisServer redis;
    private final WorkerFixture fixture;
    private final TasqueClient client;

    WorkerTest(RedisServer redis) {
        this.redis = redis;
        this.fixture = new WorkerFixture(redis);
        this.client = fixture.client();
    }

    @AfterEach
    void closeAll() {
        fixture.close();
    }

    private Worker.Builder worker() {
        return fixture.builder();
    }

    private Worker started(Worker.Builder b) {
        return fixture.start(b);
    }

    @Test
    void aSubmittedTaskIsHandledWithEveryJsonTypeAndItsIdAndAttempt() {
        AtomicReference<Task> seen = new AtomicReference<>();
        started(worker().handle("types", seen::set));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("list", List.of(1, "two", 3.5, false));
        nested.put("none", null);
        String id = client.submit(Task.of("types")
                .set("string", "héllo").set("int", 42).set("long", 1L << 40).set("double", 2.25)
                .set("bool", true).set("null", null).set("map", nested).set("list", List.of(Map.of("k", "v"), 7)));
        await().atMost(WAIT).until(() -> seen.get() != null);
        Task t = seen.get();
        assertEquals(id, t.id());
        assertEquals(1, t.attempt());
        assertEquals("héllo", t.param("string", String.class));
        assertEquals(42, t.param("int", Integer.class));
        assertEquals(1L << 40, t.param("long", Long.class));
        assertEquals(2.25, t.param("double", Double.class));
        assertEquals(true, t.param("bool", Boolean.class));
        assertTrue(t.has("null"));
        assertNull(t.param("null", String.class));
        assertEquals(nested, t.param("map", Map.class));
        assertEquals(List.of(Map.of("k", "v"), 7), t.param("list", List.class));
        await().atMost(WAIT).until(() -> client.admin().stats("types").equals(new QueueCounts("types", 0, 0, 0, 0)));
    }

    @Test
    void nHandlersRunInParallelAndNeverMoreThanN() {
        int n = 4;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger missed = new AtomicInteger();
        CyclicBarrier allN = new CyclicBarrier(n);
        started(worker().concurrency(n).handle("par", task -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                if (task.param("i", Integer.class) < n) {
                    allN.await(10, TimeUnit.SECONDS); // the first n jobs meet here only if n run at the same time
                }
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.BrokenBarrierException e) {
                missed.incrementAndGet();
                throw e;
            } finally {
                running.decrementAndGet();
                done.incrementAndGet();
            }
        }));
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tasks.add(Task.of("par").set("i", i));
        }
        client.submitAll(tasks);
        await().atMost(WAIT).until(() -> done.get() == 40);
        assertEquals(n, most.get());
        assertEquals(0, missed.get(), "the barrier never timed out, so n handlers ran together");
    }


    @Test
    void slowJobsAfterManyQuickOnesStillRunSideBySide() {
        // quick jobs let the handler pool wake only a CPU's worth of threads per batch; slow ones that follow
        // must still each get a thread of their own
        int n = Runtime.getRuntime().availableProcessors() + 3;
        AtomicInteger quickDone = new AtomicInteger();
        AtomicInteger slowDone = new AtomicInteger();
        AtomicInteger timedOut = new AtomicInteger();
        CyclicBarrier allN = new CyclicBarrier(n);
        started(worker().concurrency(n)
                .handle("quick", task -> quickDone.incrementAndGet())
                .handle("slow", task -> {
                    try {
                        allN.await(10, TimeUnit.SECONDS); // met only if all n run at the same time
                    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.BrokenBarrierException e) {
                        timedOut.incrementAndGet();
                    }
                    slowDone.incrementAndGet();
                }));
        List<Task> quick = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            quick.add(Task.of("quick").set("i", i));
        }
        client.submitAll(quick);
        await().atMost(WAIT).until(() -> quickDone.get() == 3000);
        List<Task> slow = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            slow.add(Task.of("slow").set("i", i));
        }
        client.submitAll(slow);
        await().atMost(WAIT).until(() -> slowDone.get() == n);
        assertEquals(0, timedOut.get(), "all " + n + " slow jobs met at the barrier, so they ran side by side");
    }
    @Test
    void aHandlerFailingTwiceThenSucceedingRunsThreeTimesWithBackoffGaps() {
        List<Long> starts = new CopyOnWriteArrayList<>();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        started(worker().retryPolicy(RetryPolicy.exponential(Duration.ofMillis(300), 2, Duration.ofSeconds(5)))
                .handle("flaky", task -> {
                    starts.add(System.nanoTime());
                    attempts.add(task.attempt());
                    if (task.attempt() < 3) {
                        throw new IllegalStateException("fail #" + task.attempt());
                    }
                }));
        client.submit(Task.of("flaky"));
        await().atMost(WAIT).until(() -> client.admin().stats("flaky").equals(new QueueCounts("flaky", 0, 0, 0, 0)) && starts.size() == 3);
        assertEquals(List.of(1, 2, 3), attempts);
        long gap1 = (starts.get(1) - starts.get(0)) / 1_000_000;
        long gap2 = (starts.get(2) - starts.get(1)) / 1_000_000;
        assertTrue(gap1 >= 300 && gap1 < 300 + 1500, "first gap follows the 300 ms base: " + gap1);
        assertTrue(gap2 >= 600 && gap2 < 600 + 1500, "second gap doubles to 600 ms: " + gap2);
    }

    @Test
    void exhaustedAttemptsEndInTheDeadLetterWithTheLastErrorAndCanBeRetriedOrDeleted() {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger succeedFrom = new AtomicInteger(Integer.MAX_VALUE);
        started(worker().maxAttempts(3).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(50))).handle("doomed", task -> {
            if (runs.incrementAndGet() < succeedFrom.get()) {
                throw new IllegalArgumentException("bad input #" + task.attempt());
            }
        }));
        String id = client.submit(Task.of("doomed").set("x", 1));
        await().atMost(WAIT).until(() -> client.admin().stats("doomed").dead() == 1);
        assertEquals(3, runs.get());
        DeadTask dead = client.admin().deadTasks("doomed").get(0);
        assertEquals(id, dead.id());
        assertEquals(3, dead.attempts());
        assertTrue(dead.lastError().contains("java.lang.IllegalArgumentException: bad input #3"), dead.lastError());
        assertTrue(dead.lastError().contains("\tat "), "the error keeps a stack summary: " + dead.lastError());
        assertEquals(1, dead.task().param("x", Integer.class));

        succeedFrom.set(4);
        assertTrue(client.admin().retryDead("doomed", id).retried());
        await().atMost(WAIT).until(() -> client.admin().stats("doomed").equals(new QueueCounts("doomed", 0, 0, 0, 0)));
        assertEquals(4, runs.get());

        succeedFrom.set(Integer.MAX_VALUE);
        String second = client.submit(Task.of("doomed"));
        await().atMost(WAIT).until(() -> client.admin().stats("doomed").dead() == 1);
        assertTrue(client.admin().deleteDead("doomed", second));
        assertEquals(new QueueCounts("doomed", 0, 0, 0, 0), client.admin().stats("doomed"));
        assertEquals("0", redis.command("EXISTS", "tasque:{doomed}:jobs"));
    }

    @Test
    void everyKindOfThrowableCountsAsAFailedRunAndTheWorkerGoesOn() {
        List<String> seen = new CopyOnWriteArrayList<>();
        started(worker().retryPolicy(RetryPolicy.fixed(Duration.ofMillis(20))).handle("throws", task -> {
            switch (task.attempt()) {
                case 1 -> { seen.add("checked"); throw new java.io.IOException("checked"); }
                case 2 -> { seen.add("runtime"); throw new IllegalStateException("runtime"); }
                case 3 -> { seen.add("assertion"); throw new AssertionError("assertion"); }
                case 4 -> { seen.add("stack overflow"); recurse(0); }
                default -> seen.add("ok");
            }
        }));
        client.submit(Task.of("throws"));
        await().atMost(WAIT).until(() -> seen.contains("ok"));
        assertEquals(List.of("checked", "runtime", "assertion", "stack overflow", "ok"), seen);
        await().atMost(WAIT).until(() -> client.admin().stats("throws").equals(new QueueCounts("throws", 0, 0, 0, 0)));
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    @Test
    void aDelayedTaskDoesNotRunBeforeItsTimeAndRunsSoonAfter() {
        AtomicReference<Long> ranAt = new AtomicReference<>();
        started(worker().handle("later", task -> ranAt.set(System.nanoTime())));
        long submitted = System.nanoTime();
        client.submit(Task.of("later"), Duration.ofMillis(1500));
        await().atMost(WAIT).until(() -> ranAt.get() != null);
        long ms = (ranAt.get() - submitted) / 1_000_000;
        assertTrue(ms >= 1500, "ran after " + ms + " ms");
        assertTrue(ms < 1500 + 1000, "ran soon after its time: " + ms + " ms");
    }

    @Test
    void gracefulShutdownFinishesRunningJobsAndLeavesTheRestQueued() throws Exception {
        CountDownLatch twoRunning = new CountDownLatch(2);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        Worker w = started(worker().concurrency(2).handle("slow", task -> {
            twoRunning.countDown();
            finish.await();
            finished.incrementAndGet();
        }));
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tasks.add(Task.of("slow").set("i", i));
        }
        client.submitAll(tasks);
        assertTrue(twoRunning.await(20, TimeUnit.SECONDS));
        Thread closer = new Thread(w::close);
        closer.start();
        await().atMost(WAIT).until(() -> !w.isRunning());
        finish.countDown();
        closer.join(20_000);
        assertEquals(2, finished.get());
        assertEquals(new QueueCounts("slow", 4, 0, 0, 0), client.admin().stats("slow"));

        List<Integer> attempts = new CopyOnWriteArrayList<>();
        started(worker().handle("slow", task -> attempts.add(task.attempt())));
        await().atMost(WAIT).until(() -> attempts.size() == 4);
        assertEquals(List.of(1, 1, 1, 1), attempts);
    }

    @Test
    void jobsStillRunningAfterTheGracePeriodAreHandedBackUncounted() {
        CountDownLatch running = new CountDownLatch(1);
        Worker w = started(worker().gracePeriod(Duration.ofMillis(200)).handle("stuck", task -> {
            running.countDown();
            Thread.sleep(60_000);
        }));
        client.submit(Task.of("stuck"));
        await().atMost(WAIT).until(() -> running.getCount() == 0);
        w.close();
        assertEquals(new QueueCounts("stuck", 1, 0, 0, 0), client.admin().stats("stuck"));
        AtomicInteger attempt = new AtomicInteger();
        started(worker().handle("stuck", task -> attempt.set(task.attempt())));
        await().atMost(WAIT).until(() -> attempt.get() == 1);
    }

    @Test
    void aHandlerPastItsTimeoutIsInterruptedAndRetried() {
        List<String> outcomes = new CopyOnWriteArrayList<>();
        started(worker().retryPolicy(RetryPolicy.fixed(Duration.ofMillis(20))).handle("hangs", task -> {
            if (task.attempt() == 1) {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    outcomes.add("interrupted");
                    throw e;
                }
            }
            outcomes.add("ok");
        }, HandlerOptions.builder().timeout(Duration.ofMillis(300)).build()));
        client.submit(Task.of("hangs"));
        await().atMost(WAIT).until(() -> outcomes.contains("ok"));
        assertEquals(List.of("interrupted", "ok"), outcomes);
    }

    @Test
    void anUndecodablePayloadIsDeadLetteredWithItsReasonAndTheWorkerGoesOn() {
        List<String> handled = new CopyOnWriteArrayList<>();
        started(worker().handle("poison", task -> handled.add(task.param("ok", String.class))));
        redis.command("HSET", "tasque:{poison}:jobs", "bad-1", "{\"v\":1,\"id\":\"bad-1\",\"na");
        redis.command("RPUSH", "tasque:{poison}:ready", "bad-1");
        redis.command("HSET", "tasque:{poison}:jobs", "bad-2", "{\"v\":42,\"id\":\"bad-2\",\"name\":\"poison\"}");
        redis.command("RPUSH", "tasque:{poison}:ready", "bad-2");
        client.submit(Task.of("poison").set("ok", "after"));
        await().atMost(WAIT).until(() -> handled.contains("after") && client.admin().stats("poison").dead() == 2);
        Map<String, String> reasons = new ConcurrentHashMap<>();
        client.admin().deadTasks("poison").forEach(d -> reasons.put(d.id(), d.lastError()));
        assertTrue(reasons.get("bad-1").startsWith("undecodable payload: not valid JSON"), reasons.get("bad-1"));
        assertTrue(reasons.get("bad-2").contains("unknown envelope version 42"), reasons.get("bad-2"));
    }

    @Test
    void aWorkerNeverTouchesQueuesItHasNoHandlerFor() {
        AtomicInteger foo = new AtomicInteger();
        started(worker().handle("foo", task -> foo.incrementAndGet()));
        client.submit(Task.of("other"));
        client.submit(Task.of("foo"));
        await().atMost(WAIT).until(() -> foo.get() == 1);
        assertEquals(new QueueCounts("other", 1, 0, 0, 0), client.admin().stats("other"));
    }

    @Test
    void metricsCountOutcomesPerTaskNameAndTimeTheHandler() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        started(worker().meterRegistry(registry).maxAttempts(2).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(10)))
                .handle("m", task -> {
                    if (task.param("fail", Boolean.class)) {
                        throw new IllegalStateException("no");
                    }
                }));
        client.submit(Task.of("m").set("fail", false));
        client.submit(Task.of("m").set("fail", true));
        await().atMost(WAIT).until(() -> client.admin().stats("m").dead() == 1 && client.admin().stats("m").ready() == 0
                && client.admin().stats("m").running() == 0);
        await().atMost(WAIT).until(() -> registry.find("tasque.jobs").tag("outcome", "dead").counter() != null);
        assertEquals(1.0, registry.get("tasque.jobs").tags("task", "m", "outcome", "succeeded").counter().count());
        assertEquals(1.0, registry.get("tasque.jobs").tags("task", "m", "outcome", "retried").counter().count());
        assertEquals(1.0, registry.get("tasque.jobs").tags("task", "m", "outcome", "dead").counter().count());
        assertEquals(3, registry.get("tasque.handler.duration").tags("task", "m").timer().count());
        assertEquals(0.0, registry.get("tasque.jobs.inflight").gauge().value());
    }

    @Test
    void runBlocksUntilCloseAndAnInterruptClosesTheWorkerGracefully() throws Exception {
        Worker w = worker().handle("r", task -> { }).build();
        fixture.closeLater(w);
        Thread runner = new Thread(w::run);
        runner.start();
        await().atMost(WAIT).until(w::isRunning);
        assertTrue(runner.isAlive(), "run() blocks while the worker runs");
        w.close();
        runner.join(10_000);
        assertTrue(!runner.isAlive() && !w.isRunning());

        Worker second = worker().handle("r", task -> { }).build();
        fixture.closeLater(second);
        Thread interrupted = new Thread(second::run);
        interrupted.start();
        await().atMost(WAIT).until(second::isRunning);
        interrupted.interrupt();
        interrupted.join(10_000);
        assertTrue(!interrupted.isAlive() && !second.isRunning(), "an interrupt closes the worker");
    }

    @Test
    void onRedisTaskNamesWithSpacesOrBracesAreRefusedByTheClientTheAdminAndTheWorker() {
        String expected = "task name 'send email {x}' contains whitespace; use [A-Za-z0-9._:-]";
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> client.submit(Task.of("send email {x}"))).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> client.submitAll(List.of(Task.of("ok"), Task.of("send email {x}")))).getMessage());
        assertEquals(0, client.admin().stats("ok").ready(), "a bad task in a bulk submit enqueues nothing");
        assertEquals("task name 'a{b}' contains '{', which Redis keys use for hash tags; use [A-Za-z0-9._:-]",
                assertThrows(IllegalArgumentException.class, () -> client.admin().stats("a{b}")).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> Worker.builder().broker(redis.uri()).handle("send email {x}", t -> { }).build()).getMessage());
    }

    @Test
    void badWorkerSettingsAreRejectedNamingTheValue() {
        assertEquals("concurrency must be 1..10000, was 0",
                assertThrows(IllegalArgumentException.class, () -> Worker.builder().concurrency(0)).getMessage());
        assertEquals("maxAttempts must be >= 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> Worker.builder().maxAttempts(0)).getMessage());
        assertTrue(assertThrows(IllegalStateException.class, () -> Worker.builder().broker(redis.uri()).build())
                .getMessage().contains("no handlers"));
        assertTrue(assertThrows(IllegalStateException.class, () -> Worker.builder().handle("x", t -> { }).build())
                .getMessage().contains("no broker"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Worker.builder().handle("x", t -> { }).handle("x", t -> { }))
                .getMessage().contains("'x' is already registered"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Worker.builder().handle("a\tb", t -> { }))
                .getMessage().contains("U+0009"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Worker.builder().broker("nope"))
                .getMessage().contains("'nope'"));
        assertEquals("lease must be >= 100 ms, was PT0.05S",
                assertThrows(IllegalArgumentException.class, () -> Worker.builder().lease(Duration.ofMillis(50))).getMessage());
        assertEquals("idleBlock must be >= 1 ms, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> Worker.builder().idleBlock(Duration.ZERO)).getMessage());
        assertEquals("heartbeat must be >= 1 ms, was null",
                assertThrows(IllegalArgumentException.class, () -> Worker.builder().heartbeat(null)).getMessage());
        assertEquals("gracePeriod must be >= 0, was PT-1S",
                assertThrows(IllegalArgumentException.class, () -> Worker.builder().gracePeriod(Duration.ofSeconds(-1))).getMessage());
        assertEquals("heartbeat PT30S must be shorter than the lease PT30S",
                assertThrows(IllegalStateException.class, () -> Worker.builder().broker(redis.uri()).heartbeat(Duration.ofSeconds(30))
                        .handle("x", t -> { }).build()).getMessage());
    }

    @Test
    void aBacklogIsLeasedByTwoLanesAndTheBacklogLaneSendsNothingOnceTheQueueIsIdle() throws Exception {
        Map<String, AtomicInteger> reservesByThread = new ConcurrentHashMap<>();
        AtomicInteger waits = new AtomicInteger();
        try (Broker real = Brokers.open(redis.uri(), BrokerOptions.defaults())) {
            Broker recording = InterceptedBroker.before(real, (method, args) -> {
                if (method.equals("reserve")) {
                    reservesByThread.computeIfAbsent(Thread.currentThread().getName(), k -> new AtomicInteger()).incrementAndGet();
                } else if (method.equals("awaitWork")) {
                    waits.incrementAndGet();
                }
            });
            int n = 5000;
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                tasks.add(Task.of("quick"));
            }
            client.submitAll(tasks);
            CountDownLatch done = new CountDownLatch(n);
            started(worker().broker(recording).concurrency(10).idleBlock(Duration.ofMillis(100)).handle("quick", t -> done.countDown()));
            assertTrue(done.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertTrue(reservesByThread.containsKey("tasque-fetcher"), reservesByThread.toString());
            assertTrue(reservesByThread.containsKey("tasque-fetcher-backlog"), "while the queue had a backlog the second lane leased too: " + reservesByThread);

            // idle: the main lane blocks on the broker again and again; the backlog lane must not send anything
            await().atMost(WAIT).until(() -> waits.get() >= 1);
            int backlogCalls = reservesByThread.get("tasque-fetcher-backlog").get();
            int waitsThen = waits.get();
            await().atMost(WAIT).until(() -> waits.get() >= waitsThen + 5);
            assertEquals(backlogCalls, reservesByThread.get("tasque-fetcher-backlog").get(), "the backlog lane stayed silent while idle");
        }
    }
}
