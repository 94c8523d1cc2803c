package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.client.QueueCounts;
import io.tasque.client.DeadTask;
import io.tasque.client.TasqueClient;
import io.tasque.retry.RetryPolicy;
import io.tasque.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The processor's outcome rules, on a worker and a client sharing one in-memory broker and one manual clock:
 * a failed attempt is retried after its policy's delay, the last one is dead-lettered, a job past its TTL is
 * dead-lettered, a permanent failure goes straight to the dead letter, and the handler sees each attempt's number.
 */
class ProcessorOutcomeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(10);

    private final String uri = "memory://outcome-" + UUID.randomUUID();
    private final ManualClock clock = ManualClock.startingNow();
    /** The attempt number the handler saw on each run, in order. */
    private final List<Integer> attempts = new CopyOnWriteArrayList<>();
    private Worker worker;
    private TasqueClient client;
    private Broker probe;

    private TasqueClient client(Duration ttl) {
        client = TasqueClient.builder().broker(uri).clock(clock).ttl(ttl).build();
        return client;
    }

    private Worker worker(TaskHandler body, HandlerOptions options) {
        worker = Worker.builder().broker(uri).clock(clock).concurrency(1).shutdownHook(false)
                .retryPolicy(RetryPolicy.fixed(RETRY_DELAY)).idleBlock(Duration.ofMillis(20))
                .handle("job", task -> {
                    attempts.add(task.attempt());
                    body.handle(task);
                }, options).build().start();
        return worker;
    }

    @AfterEach
    void closeAll() {
        if (worker != null) {
            worker.close();
        }
        if (client != null) {
            client.close();
        }
        if (probe != null) {
            probe.close();
        }
    }

    private QueueCounts stats() {
        return client.admin().stats("job");
    }

    /** When the queue's earliest delayed job falls due (epoch ms), read without leasing anything. */
    private long nextDue() {
        if (probe == null) {
            probe = Brokers.open(uri, BrokerOptions.builder().clock(clock).build());
        }
        return probe.reserve(List.of("job"), 0, Duration.ofSeconds(30)).nextDueMillis();
    }

    @Test
    void aFailedJobRunsAgainAfterThePolicysDelayWithTheNextAttemptNumber() {
        client(TasqueClient.DEFAULT_TTL);
        worker(task -> {
            if (task.attempt() == 1) {
                throw new IllegalStateException("first run fails");
            }
        }, HandlerOptions.INHERIT);
        long failedAt = clock.millis();
        client.submit(Task.of("job"));

        await().atMost(WAIT).until(() -> stats().equals(new QueueCounts("job", 0, 1, 0, 0)));
        assertEquals(List.of(1), attempts);
        assertEquals(failedAt + RETRY_DELAY.toMillis(), nextDue(), "the retry is due the policy's delay after the failure");

        clock.advance(RETRY_DELAY);
        await().atMost(WAIT).until(() -> stats().equals(new QueueCounts("job", 0, 0, 0, 0)));
        assertEquals(List.of(1, 2), attempts, "the second run saw attempt 2 and succeeded");
    }

    @Test
    void aJobIsDeadLetteredWhenItsLastAttemptFails() {
        client(TasqueClient.DEFAULT_TTL);
        worker(task -> {
            throw new IllegalStateException("always fails");
        }, HandlerOptions.builder().maxAttempts(3).build());
        client.submit(Task.of("job"));

        for (int run = 1; run < 3; run++) {
            int ran = run;
            await().atMost(WAIT).until(() -> attempts.size() == ran && stats().delayed() == 1);
            clock.advance(RETRY_DELAY);
        }
        await().atMost(WAIT).until(() -> stats().equals(new QueueCounts("job", 0, 0, 0, 1)));
        assertEquals(List.of(1, 2, 3), attempts);
        DeadTask dead = client.admin().deadTasks("job").get(0);
        assertEquals(3, dead.attempts());
        assertTrue(dead.lastError().startsWith("failed 3 of 3 attempts; last error: java.lang.IllegalStateException: always fails"),
                dead.lastError());
    }

    @Test
    void aJobWhoseTtlEndedBeforeItRanIsDeadLetteredWithoutRunning() {
        client(Duration.ofSeconds(5)).submit(Task.of("job"));
        clock.advance(Duration.ofSeconds(6));
        worker(task -> { }, HandlerOptions.INHERIT);

        await().atMost(WAIT).until(() -> stats().equals(new QueueCounts("job", 0, 0, 0, 1)));
        assertEquals(List.of(), attempts, "the handler never ran");
        assertTrue(client.admin().deadTasks("job").get(0).lastError().startsWith("ttl expired before attempt 1 could run"),
                client.admin().deadTasks("job").get(0).lastError());
    }

    @Test
    void aFailedJobWhoseTtlEndsBeforeTheNextAttemptIsDeadLettered() {
        client(Duration.ofSeconds(5)).submit(Task.of("job"));
        worker(task -> {
            throw new IllegalStateException("fails once, too late to retry");
        }, HandlerOptions.INHERIT);

        await().atMost(WAIT).until(() -> stats().equals(new QueueCounts("job", 0, 0, 0, 1)));
        assertEquals(List.of(1), attempts);
        assertTrue(client.admin().deadTasks("job").get(0).lastError().startsWith("ttl expires before the next attempt"),
                client.admin().deadTasks("job").get(0).lastError());
    }

    @Test
    void aPermanentFailureGoesStraightToTheDeadLetter() {
        client(TasqueClient.DEFAULT_TTL);
        worker(task -> {
            throw new PermanentFailure("order 7 does not exist");
        }, HandlerOptions.INHERIT);
        client.submit(Task.of("job"));

        await().atMost(WAIT).until(() -> stats().equals(new QueueCounts("job", 0, 0, 0, 1)));
        assertEquals(List.of(1), attempts, "no retry");
        assertTrue(client.admin().deadTasks("job").get(0).lastError().startsWith("permanent failure: order 7 does not exist"),
                client.admin().deadTasks("job").get(0).lastError());
    }

    @Test
    void aFailureOfATypeInNoRetryOnGoesStraightToTheDeadLetter() {
        client(TasqueClient.DEFAULT_TTL);
        worker(task -> {
            throw new IllegalArgumentException("bad amount");
        }, HandlerOptions.builder().noRetryOn(IllegalArgumentException.class).build());
        client.submit(Task.of("job"));

        await().atMost(WAIT).until(() -> stats().equals(new QueueCounts("job", 0, 0, 0, 1)));
        assertEquals(List.of(1), attempts, "no retry");
        assertTrue(client.admin().deadTasks("job").get(0).lastError()
                .startsWith("permanent failure: java.lang.IllegalArgumentException: bad amount (no retry on java.lang.IllegalArgumentException)"),
                client.admin().deadTasks("job").get(0).lastError());
    }
}
