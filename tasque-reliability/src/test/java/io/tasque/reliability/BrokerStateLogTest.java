package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tasque.Task;
import io.tasque.broker.BrokerOptions;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.LogCapture;
import io.tasque.testkit.RedisServer;
import io.tasque.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Broker outages while a job runs, in one JVM: the worker logs exactly one line when Redis goes and one when
 * it is back — whether Redis froze (SIGSTOP) or was killed and restarted — and then takes new jobs by itself.
 */
@Tag("slow")
class BrokerStateLogTest {

    /** The fault: how long Redis stays frozen, or down before it restarts. */
    private static final Duration OUTAGE = Duration.ofSeconds(2);
    /** Each job works this long, so the outage falls inside a running job. */
    private static final long JOB_MS = 4000;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private RedisServer redis;
    private TasqueClient client;
    private Worker worker;
    private LogCapture log;
    private final Set<String> done = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void setUp() {
        redis = RedisServer.builder().appendOnly("always").start();
        client = TasqueClient.connect(redis.uri());
        log = LogCapture.start();
        worker = Worker.builder().broker(redis.uri()).shutdownHook(false).gracePeriod(Duration.ZERO)
                .brokerOptions(BrokerOptions.builder().commandTimeout(Duration.ofSeconds(1)).build())
                .concurrency(1).lease(Duration.ofSeconds(10)).heartbeat(Duration.ofMillis(200))
                .idleBlock(Duration.ofMillis(500))
                .handle(ChildSettings.TASK, task -> {
                    if (task.has(Behaviour.SLEEP_MS)) {
                        Thread.sleep(task.param(Behaviour.SLEEP_MS, Long.class));
                    }
                    done.add(task.id());
                }).build().start();
    }

    @AfterEach
    void tearDown() {
        log.close();
        worker.close();
        client.close();
        redis.close();
    }

    @Test
    void aFreezeDuringARunningJobIsLoggedOnceEachWay() throws Exception {
        String running = startLongJob();
        redis.pause();
        Thread.sleep(OUTAGE.toMillis());
        redis.resume();
        assertBackAndLoggedOnce(running);
    }

    @Test
    void aRestartDuringARunningJobIsLoggedOnceEachWay() throws Exception {
        String running = startLongJob();
        redis.kill();
        Thread.sleep(OUTAGE.toMillis());
        redis.restart();
        assertBackAndLoggedOnce(running);
    }

    /** Lets the idle worker block for work once (opening its waiting connection), then starts a long job. */
    private String startLongJob() {
        String warmUp = client.submit(Task.of(ChildSettings.TASK));
        await().atMost(WAIT).until(() -> done.contains(warmUp));
        String id = client.submit(Behaviour.working(0, JOB_MS));
        await().atMost(WAIT).until(() -> worker.inFlight() == 1);
        return id;
    }

    private void assertBackAndLoggedOnce(String running) {
        await().atMost(WAIT).until(() -> done.contains(running) && worker.inFlight() == 0);
        String after = submitOnceAccepted();
        await().atMost(WAIT).until(() -> done.contains(after));
        List<String> changes = log.lines().stream()
                .filter(l -> l.contains(OutageLog.DOWN) || l.contains(OutageLog.UP)).toList();
        assertEquals(1, log.linesContaining(OutageLog.DOWN).size(), () -> "one line when Redis went: " + changes);
        assertEquals(1, log.linesContaining(OutageLog.UP).size(), () -> "one line when it was back: " + changes);
    }

    /** The client's own recovery is {@link RedisRestartTest}'s subject; here a refused submit is just tried again. */
    private String submitOnceAccepted() {
        String[] id = new String[1];
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            id[0] = client.submit(Task.of(ChildSettings.TASK));
            return true;
        });
        return id[0];
    }
}
