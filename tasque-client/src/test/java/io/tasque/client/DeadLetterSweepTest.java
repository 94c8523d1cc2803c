package io.tasque.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.Delivery;
import io.tasque.broker.redis.RedisBroker;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DeadLetterSweep}: every dead job, page after page, each once; what the action leaves is paged over. */
@WithRedis
class DeadLetterSweepTest {

    private static final Duration LEASE = Duration.ofMinutes(1);

    private final RedisServer redis;
    private TasqueClient client;
    private RedisBroker worker;

    DeadLetterSweepTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void open() {
        client = TasqueClient.connect(redis.uri());
        worker = new RedisBroker(BrokerUri.parse(redis.uri()), BrokerOptions.builder().build());
    }

    @AfterEach
    void close() {
        worker.close();
        client.close();
    }

    /** Submits {@code n} jobs of {@code name} and dead-letters them all; returns their ids. */
    private List<String> dead(String name, int n) {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(Task.of(name).set("n", i));
        }
        List<String> ids = client.submitAll(tasks);
        int buried = 0;
        while (buried < n) {
            for (Delivery d : worker.reserve(List.of(name), 500, LEASE).deliveries()) {
                assertTrue(worker.bury(d, "boom"));
                buried++;
            }
        }
        return ids;
    }

    @Test
    void everyDeadJobIsVisitedOnceAcrossPagesAndTheOnesLeftArePagedOver() {
        int n = 2 * DeadLetterSweep.PAGE + 200;
        Set<String> ids = new HashSet<>(dead("mail", n));
        Set<String> visited = new HashSet<>();
        AtomicInteger steps = new AtomicInteger();
        DeadLetterSweep sweep = new DeadLetterSweep(client.admin(), "mail");
        assertEquals(n, sweep.size());
        long done = sweep.run(sweep.size(), id -> {
            assertTrue(visited.add(id), "visited once: " + id);
            // every 100th job is left in the dead letter, the others deleted
            return visited.size() % 100 == 0 ? DeadLetterSweep.Result.LEFT
                    : client.admin().deleteDead("mail", id) ? DeadLetterSweep.Result.DONE : DeadLetterSweep.Result.GONE;
        }, steps::incrementAndGet);
        assertEquals(ids, visited);
        assertEquals(n, steps.get());
        assertEquals(n - n / 100, done);
        assertEquals(n / 100, client.admin().stats("mail").dead());
    }

    @Test
    void jobsThatDieAgainDuringTheSweepDoNotKeepItGoing() {
        dead("flaky", 10);
        AtomicInteger visits = new AtomicInteger();
        long done = new DeadLetterSweep(client.admin(), "flaky").run(id -> {
            visits.incrementAndGet();
            assertTrue(client.admin().retryDead("flaky", id).retried());
            // the handler still fails: the job is back in the dead letter before the sweep reads its next page
            Delivery again = worker.reserve(List.of("flaky"), 1, LEASE).deliveries().get(0);
            assertTrue(worker.bury(again, "still failing"));
            return DeadLetterSweep.Result.DONE;
        });
        assertEquals(10, done);
        assertEquals(10, visits.get());
        assertEquals(10, client.admin().stats("flaky").dead());
    }
}
