package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.client.DeadTask;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5: payloads a worker cannot decode, pushed straight into Redis between valid jobs. Each one goes
 * to the dead letter with its reason; the workers go straight on and every valid job completes.
 */
@WithRedis
@Tag("slow")
class PoisonPayloadTest {

    /** One undecodable job: its id, its stored payload (null: none stored at all) and the reason expected. */
    private record Poison(String id, byte[] payload, String reason) {
        static Poison json(String id, String json, String reason) {
            return new Poison(id, json.getBytes(StandardCharsets.UTF_8), reason);
        }
    }

    private static final List<Poison> POISONS = List.of(
            new Poison("poison-garbage", new byte[] {(byte) 0xff, 0x00, 0x13, 0x37, (byte) 0xc3, 0x28},
                    "undecodable payload: not valid JSON"),
            Poison.json("poison-truncated", "{\"v\":1,\"id\":\"poison-truncated\",\"name\":\"job\",\"par",
                    "undecodable payload: not valid JSON"),
            Poison.json("poison-version", "{\"v\":99,\"id\":\"poison-version\",\"name\":\"job\",\"params\":{}}",
                    "undecodable payload: unknown envelope version 99"),
            Poison.json("poison-no-name", "{\"v\":1,\"id\":\"poison-no-name\",\"params\":{}}",
                    "undecodable payload: envelope has no task name"),
            Poison.json("poison-no-id", "{\"v\":1,\"name\":\"job\",\"params\":{}}",
                    "undecodable payload: envelope has no job id"),
            Poison.json("poison-other-name", "{\"v\":1,\"id\":\"poison-other-name\",\"name\":\"other\",\"params\":{}}",
                    "undecodable payload: task name 'other' does not match its queue 'job'"),
            Poison.json("poison-params", "{\"v\":1,\"id\":\"poison-params\",\"name\":\"job\",\"params\":[1,2]}",
                    "undecodable payload: envelope params is a"),
            Poison.json("poison-null", "null", "undecodable payload: payload is JSON null"),
            Poison.json("poison-empty", "", "undecodable payload: empty payload"),
            Poison.json("poison-time", "{\"v\":1,\"id\":\"poison-time\",\"name\":\"job\",\"enqueuedAt\":\"yesterday\"}",
                    "undecodable payload: envelope field \"enqueuedAt\" is not a whole number"),
            new Poison("poison-missing", null, "payload missing"));

    private static final int VALID_PER_GAP = 20;

    private final RedisServer redis;
    private Scenario scenario;

    PoisonPayloadTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void setUp() {
        scenario = new Scenario("5-poison-payloads", redis);
    }

    @AfterEach
    void tearDown() {
        scenario.close();
    }

    @Test
    void everyPoisonPayloadIsDeadLetteredWithItsReasonAndEveryValidJobCompletes() {
        WorkerProcess a = scenario.start(scenario.worker("A"));
        WorkerProcess b = scenario.start(scenario.worker("B"));
        List<String> valid = new ArrayList<>();
        for (Poison p : POISONS) {
            valid.addAll(scenario.submitPlain(valid.size(), VALID_PER_GAP));
            push(p);
        }
        valid.addAll(scenario.submitPlain(valid.size(), VALID_PER_GAP));

        Accounting accounting = scenario.settle(valid, Duration.ofMinutes(1)).assertNothingLost().assertNoneDead();
        assertEquals(valid.size(), accounting.completed());
        await().atMost(Duration.ofSeconds(30)).until(() -> scenario.admin().stats(ChildSettings.TASK).dead() == POISONS.size());

        Map<String, String> reasons = scenario.admin().deadTasks(ChildSettings.TASK).stream()
                .collect(Collectors.toMap(DeadTask::id, DeadTask::lastError));
        for (Poison p : POISONS) {
            String reason = reasons.get(p.id());
            assertTrue(reason != null && reason.startsWith(p.reason()),
                    "poison " + p.id() + " is dead with reason '" + p.reason() + "…', was: " + reason);
        }
        assertTrue(a.isAlive() && b.isAlive(), "the workers went straight on");
        System.out.println("5-poison-payloads: " + POISONS.size() + " poison payloads, all dead-lettered with their reason");
    }

    /**
     * Stores the poison the way enqueue.lua stores a job: payload in the jobs hash, id at the back of ready.
     * The valid submit that follows wakes idle workers.
     */
    private void push(Poison p) {
        scenario.ledger().write(j -> {
            byte[] id = p.id().getBytes(StandardCharsets.UTF_8);
            if (p.payload() != null) {
                j.hset(TasqueKeys.JOBS.getBytes(StandardCharsets.UTF_8), id, p.payload());
            }
            return j.rpush(TasqueKeys.READY.getBytes(StandardCharsets.UTF_8), id);
        });
    }
}
