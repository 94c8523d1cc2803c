package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.JobIds;
import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.codec.Envelope;
import io.tasque.codec.EnvelopeCodec;
import io.tasque.codec.ParamJson;
import io.tasque.codec.PayloadTooLargeException;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a client accepts, a real worker reads back: the largest payload the client may be configured for, the
 * deepest nesting {@code Task.set} allows, and params whose values a careless codec would round.
 */
@WithRedis
class PayloadRoundTripTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final RedisServer redis;
    private TasqueClient client;
    private Worker worker;

    PayloadRoundTripTest(RedisServer redis) {
        this.redis = redis;
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void theLargestAcceptedPayloadRoundTripsThroughARealWorker() throws Exception {
        client = TasqueClient.builder().broker(redis.uri()).maxPayloadBytes(EnvelopeCodec.MAX_PAYLOAD_BYTES).build();
        long now = System.currentTimeMillis();
        int overhead = new EnvelopeCodec().encode(new Envelope(JobIds.next(), "big", Map.of("blob", ""), now,
                now + TasqueClient.DEFAULT_TTL.toMillis())).length;
        // control characters are written as six-byte escapes and é as two bytes: chars and bytes differ, as in real text;
        // the job id's length can grow by a character between this probe and the submit, hence the one retry below
        int escapes = 1000;
        int rest = EnvelopeCodec.MAX_PAYLOAD_BYTES - overhead - 6 * escapes;
        String blob = null;
        String id = null;
        for (int tries = 1; id == null; tries++) {
            blob = "\u0001".repeat(escapes) + "é".repeat(rest / 2) + "a".repeat(rest % 2);
            try {
                id = client.submit(Task.of("big").set("blob", blob));
            } catch (PayloadTooLargeException idGrewByACharacter) {
                assertTrue(tries == 1, idGrewByACharacter.getMessage());
                rest -= idGrewByACharacter.size() - EnvelopeCodec.MAX_PAYLOAD_BYTES;
            }
        }
        assertEquals(String.valueOf(EnvelopeCodec.MAX_PAYLOAD_BYTES), redis.command("HSTRLEN", "tasque:{big}:jobs", id),
                "the stored payload is exactly the maximum");

        CompletableFuture<Task> seen = new CompletableFuture<>();
        worker = Worker.builder().broker(redis.uri()).shutdownHook(false).handle("big", seen::complete).build().start();
        Task got = seen.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(id, got.id());
        assertEquals(blob, got.param("blob", String.class));
        await().atMost(WAIT).until(() -> client.admin().stats("big").dead() == 0 && client.admin().stats("big").running() == 0);
    }

    @Test
    void theDeepestAcceptedNestingAndExactNumbersReachARealWorkerAsSet() throws Exception {
        client = TasqueClient.connect(redis.uri());
        Object deep = "bottom";
        for (int i = 0; i < ParamJson.MAX_DEPTH; i++) {
            deep = i % 2 == 0 ? List.of(deep) : Map.of("k", deep);
        }
        byte[] bytes = {0, -1, 42};
        Task task = Task.of("exact").set("deep", deep).set("f", 0.1f).set("bd", new BigDecimal("0.1000000000000000000001"))
                .set("l", (1L << 53) + 1).set("bi", BigInteger.TWO.pow(100)).set("bytes", bytes).set("big", new BigDecimal("1E+400"));
        client.submit(task);

        CompletableFuture<Task> seen = new CompletableFuture<>();
        worker = Worker.builder().broker(redis.uri()).shutdownHook(false).handle("exact", seen::complete).build().start();
        Task got = seen.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(task.params(), got.params());
        assertEquals(0.1f, got.param("f", Float.class));
        assertEquals(0.1, got.param("f", Double.class));
        assertEquals(new BigDecimal("0.1000000000000000000001"), got.param("bd", BigDecimal.class));
        assertEquals((1L << 53) + 1, got.param("l", Long.class));
        assertEquals(BigInteger.TWO.pow(100), got.param("bi", BigInteger.class));
        assertArrayEquals(bytes, got.param("bytes", byte[].class));
        assertEquals(new BigDecimal("1E+400"), got.param("big", BigDecimal.class));
    }
}
