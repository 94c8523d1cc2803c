package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tasque.broker.BrokerException;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Broker outages while workers run, twice in a row — Redis frozen (SIGSTOP), then killed and restarted: a busy
 * and an idle worker each log one line when the broker goes and one when it is back, and resume by themselves.
 */
@Tag("slow")
class BrokerOutageTest {

    /** The first fault: Redis answers nothing for this long. */
    private static final Duration FROZEN_FOR = Duration.ofSeconds(4);
    /** The second fault: Redis is gone for this long. */
    private static final Duration DOWN_FOR = Duration.ofSeconds(3);
    /** Reconnect backoff is capped at 10 s; a worker is back within that plus a loaded machine's slack. */
    private static final Duration RESUMES_WITHIN = Duration.ofSeconds(20);

    private RedisServer redis;
    private Scenario scenario;

    @BeforeEach
    void setUp() {
        redis = RedisServer.builder().appendOnly("always").start();
        scenario = new Scenario("broker-outages", redis, TasqueClient.builder().broker(redis.uri()));
    }

    @AfterEach
    void tearDown() {
        try {
            scenario.close();
        } finally {
            redis.close();
        }
    }

    @Test
    void busyAndIdleWorkersLogOneLinePerStateChangeAndResumeByThemselves() throws Exception {
        WorkerProcess busy = scenario.start(scenario.worker("busy").sleep(Duration.ofMillis(50)));
        WorkerProcess idle = scenario.start(scenario.worker("idle").task("nothing-to-do"));
        List<String> ids = new ArrayList<>(scenario.submitPlain(0, 200));

        redis.pause();
        Thread.sleep(FROZEN_FOR.toMillis());
        redis.resume();
        ids.addAll(awaitBothBack(busy, idle, 1, 1000));

        redis.kill();
        Thread.sleep(DOWN_FOR.toMillis());
        redis.restart();
        ids.addAll(awaitBothBack(busy, idle, 2, 2000));

        scenario.settle(ids, Duration.ofMinutes(1)).assertNothingLost().assertNoneDead();
        OutageLog.assertOneLinePerStateChange(busy, 2);
        OutageLog.assertOneLinePerStateChange(idle, 2);
        List<String> changes = busy.logLines().stream()
                .filter(l -> l.contains(OutageLog.DOWN) || l.contains(OutageLog.UP))
                .map(l -> l.contains(OutageLog.DOWN) ? "down" : "up").toList();
        assertEquals(List.of("down", "up", "down", "up"), changes);
    }

    /** Both workers report the broker back, and a job submitted now is run. */
    private List<String> awaitBothBack(WorkerProcess busy, WorkerProcess idle, int outages, int from) {
        List<String> fresh = new ArrayList<>();
        await().atMost(RESUMES_WITHIN).until(() -> {
            if (fresh.isEmpty()) {
                fresh.addAll(submittedOnceAccepted(from));
            }
            return !fresh.isEmpty() && busy.linesContaining(OutageLog.UP) >= outages
                    && idle.linesContaining(OutageLog.UP) >= outages
                    && scenario.ledger().completions().containsKey(fresh.get(0));
        });
        return fresh;
    }

    /** The client's own recovery is {@link RedisRestartTest}'s subject; here a refused submit is just tried again. */
    private List<String> submittedOnceAccepted(int i) {
        try {
            return scenario.submitPlain(i, 1);
        } catch (BrokerException notYet) {
            return List.of();
        }
    }
}
