package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.client.QueueCounts;
import io.tasque.Task;
import io.tasque.client.DeadTask;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.ManualClock;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dead jobs brought back by an operator: a job that died of old age gets a fresh time to live and runs. */
@WithRedis
class DeadLetterRevivalTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration TTL = Duration.ofHours(24);

    private final RedisServer redis;
    private final ManualClock clock = ManualClock.startingNow();
    private TasqueClient client;
    private Worker worker;

    DeadLetterRevivalTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void connect() {
        client = TasqueClient.builder().broker(redis.uri()).clock(clock).ttl(TTL).build();
    }

    @AfterEach
    void close() {
        if (worker != null) {
            worker.close();
        }
        client.close();
    }

    @Test
    void aJobThatDiedOfOldAgeRunsOnceWithAFreshTtlWhenRetried() {
        String id = client.submit(Task.of("late").set("n", 7));
        clock.advance(TTL.plusHours(1));
        List<Integer> runs = new CopyOnWriteArrayList<>();
        worker = Worker.builder().broker(redis.uri()).clock(clock).shutdownHook(false).gracePeriod(Duration.ofSeconds(2))
                .handle("late", task -> runs.add(task.param("n", Integer.class) * 100 + task.attempt())).build().start();
        await().atMost(WAIT).until(() -> client.admin().stats("late").dead() == 1);
        DeadTask dead = client.admin().deadTasks("late").get(0);
        assertTrue(dead.lastError().startsWith("ttl expired before attempt 1 could run"), dead.lastError());
        assertTrue(runs.isEmpty());

        var retried = client.admin().retryDead("late", id);
        assertTrue(retried.retried(), retried.toString());
        assertEquals(id, retried.id());
        assertEquals(clock.instant().plus(TTL), retried.expiresAt(), "as long a TTL as it had, from now on");
        assertTrue(retried.toString().contains("late/" + id + " sent back to its queue") && retried.toString().contains("expires at"),
                retried.toString());

        await().atMost(WAIT).until(() -> runs.size() == 1 && client.admin().stats("late").equals(new QueueCounts("late", 0, 0, 0, 0)));
        assertEquals(List.of(701), runs, "ran once, as attempt 1, with its params");
        assertTrue(client.admin().deadTasks("late").isEmpty());
    }

    @Test
    void retryingAJobThatIsNotDeadSaysSoInWords() {
        var none = client.admin().retryDead("late", "no-such-id");
        assertEquals(false, none.retried());
        assertEquals("no dead job late/no-such-id; nothing retried", none.toString());
    }

    @Test
    void aNullIdIsRefusedNamingTheParameter() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> client.admin().retryDead("late", null))
                .getMessage().startsWith("id must be a job id, was null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> client.admin().deleteDead("late", null))
                .getMessage().startsWith("id must be a job id, was null"));
    }
}
