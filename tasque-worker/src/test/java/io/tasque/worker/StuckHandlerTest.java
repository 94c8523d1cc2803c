package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tasque.client.QueueCounts;
import io.tasque.Task;
import io.tasque.client.DeadTask;
import io.tasque.client.TasqueClient;
import io.tasque.retry.RetryPolicy;
import io.tasque.testkit.LogCapture;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Handlers that ignore their timeout's interrupt: declared stuck after the stuck grace, logged, counted, their
 * jobs settled as failed attempts and their threads replaced, so the worker keeps its capacity.
 */
@WithRedis
class StuckHandlerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final RedisServer redis;
    private final WorkerFixture fixture;
    private final TasqueClient client;
    /** Released at the end of each test, so the stuck threads can finally return. */
    private final CountDownLatch letGo = new CountDownLatch(1);

    StuckHandlerTest(RedisServer redis) {
        this.redis = redis;
        this.fixture = new WorkerFixture(redis);
        this.client = fixture.client();
    }

    @AfterEach
    void closeAll() {
        letGo.countDown();
        fixture.close();
    }

    /** Runs until the test lets go, swallowing every interrupt. */
    private void ignoreInterruptsUntilLetGo() {
        while (letGo.getCount() > 0) {
            try {
                letGo.await();
            } catch (InterruptedException ignored) {
                // this handler ignores its timeout
            }
        }
    }

    @Test
    void twoHandlersIgnoringInterruptsDoNotStallAWorkerOfTwoAndTheirJobsEndDead() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger plainDone = new AtomicInteger();
        CountDownLatch stuckStarted = new CountDownLatch(2);
        AtomicInteger stuckRuns = new AtomicInteger();
        try (LogCapture logs = LogCapture.start()) {
            fixture.start(fixture.builder().gracePeriod(Duration.ofSeconds(2))
                    .concurrency(2).maxAttempts(2).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(50))).meterRegistry(registry)
                    .handle("stubborn", task -> {
                        stuckRuns.incrementAndGet();
                        stuckStarted.countDown();
                        ignoreInterruptsUntilLetGo();
                    }, HandlerOptions.builder().timeout(Duration.ofMillis(200)).stuckGrace(Duration.ofMillis(300)).build())
                    .handle("plain", task -> {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        try {
                            Thread.sleep(20);
                        } finally {
                            running.decrementAndGet();
                            plainDone.incrementAndGet();
                        }
                    }));
            String first = client.submit(Task.of("stubborn").set("n", 1));
            String second = client.submit(Task.of("stubborn").set("n", 2));
            stuckStarted.await();
            List<Task> plain = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                plain.add(Task.of("plain").set("i", i));
            }
            client.submitAll(plain);

            await().atMost(WAIT).untilAsserted(() -> assertEquals(20, plainDone.get(), "plain jobs done while two handlers are stuck"));
            await().atMost(WAIT).until(() -> client.admin().stats("stubborn").dead() == 2);
            assertEquals(4, stuckRuns.get(), "each stuck job ran its two attempts");
            for (DeadTask dead : client.admin().deadTasks("stubborn")) {
                assertEquals(2, dead.attempts());
                assertTrue(dead.lastError().startsWith("failed 2 of 2 attempts; last error: handler stuck: it ignored the interrupt "
                        + "at its timeout of PT0.2S and had not returned PT0.3S later\nthread tasque-handler-"), dead.lastError());
                assertTrue(dead.lastError().contains("StuckHandlerTest.ignoreInterruptsUntilLetGo"), "where it was stuck: " + dead.lastError());
            }
            for (String id : List.of(first, second)) {
                for (int attempt = 1; attempt <= 2; attempt++) {
                    List<String> lines = logs.linesContaining("job stubborn/" + id + "#" + attempt + " (task stubborn) is stuck");
                    assertEquals(1, lines.size(), "logged once per stuck run: " + lines);
                    assertTrue(lines.get(0).contains("WARN") && lines.get(0).contains("running for "), lines.get(0));
                }
            }
            assertEquals(4.0, registry.get("tasque.handler.stuck").tags("task", "stubborn").counter().count());
            assertEquals(2, most.get(), "plain jobs ran two at a time, on the replacement threads");

            letGo.countDown();
            await().atMost(WAIT).until(() -> logs.linesContaining("returned after it was declared stuck").size() == 4);
            assertTrue(logs.linesContaining("returned after it was declared stuck").get(0).contains("its outcome is not recorded"));

            // the returned threads left: capacity is back to exactly two
            running.set(0);
            most.set(0);
            plainDone.set(0);
            client.submitAll(plain);
            await().atMost(WAIT).until(() -> plainDone.get() == 20);
            assertEquals(2, most.get(), "never more than concurrency=2 at once after the stuck threads returned");
            await().atMost(WAIT).until(() -> client.admin().stats("plain").equals(new QueueCounts("plain", 0, 0, 0, 0)));
            assertEquals(0, client.admin().stats("stubborn").ready() + client.admin().stats("stubborn").delayed());
        }
    }
}
