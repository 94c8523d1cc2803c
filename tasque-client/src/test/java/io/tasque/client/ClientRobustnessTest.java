package io.tasque.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokenQueue;
import io.tasque.broker.BrokenQueuesException;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.InterceptedBroker;
import io.tasque.codec.EnvelopeCodec;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client under faults it cannot prevent: an Error thrown while a batch of submits is sent, a submitting thread
 * with its interrupt flag set, a payload limit a worker could not read, and calls after close().
 */
@WithRedis
class ClientRobustnessTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The Error the wrapped broker throws, as a broker bug or an out-of-memory would. */
    static final class InjectedError extends Error {
        InjectedError() {
            super("injected by the test");
        }
    }

    private final RedisServer redis;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger sends = new AtomicInteger();
    private volatile boolean firstSendThrows;
    private TasqueClient client;

    ClientRobustnessTest(RedisServer redis) {
        this.redis = redis;
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        if (client != null) {
            client.close();
        }
    }

    @Test
    void anErrorFromTheBrokerFailsItsBatchWithAClearErrorAndLaterSubmitsStillWork() throws Exception {
        firstSendThrows = true;
        client = TasqueClient.builder().broker(blockingFirstSend()).build();
        Thread[] waiters = new Thread[2];
        CompletableFuture<String> leader = submitInThread("leader", null);
        await().atMost(WAIT).until(() -> sends.get() == 1);
        CompletableFuture<String> second = submitInThread("second", t -> waiters[0] = t);
        CompletableFuture<String> third = submitInThread("third", t -> waiters[1] = t);
        await().atMost(WAIT).until(() -> parked(waiters[0]) && parked(waiters[1]));

        release.countDown();
        ExecutionException e = assertThrows(ExecutionException.class, () -> leader.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(InjectedError.class, e.getCause(), "the thread that ran the send gets the Error itself");
        for (CompletableFuture<String> waiter : List.of(second, third)) {
            e = assertThrows(ExecutionException.class, () -> waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            BrokerException failed = assertInstanceOf(BrokerException.class, e.getCause());
            assertTrue(failed.getMessage().contains(client.broker()) && failed.getMessage().contains("InjectedError"), failed.getMessage());
            assertInstanceOf(InjectedError.class, failed.getCause());
        }
        String later = CompletableFuture.supplyAsync(() -> client.submit(Task.of("t"))).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(later);
        assertEquals(1, client.admin().stats("t").ready(), "only the submit after the failure is stored");
    }

    @Test
    void aBrokenQueueFailsOnlyItsOwnSubmitsInASharedBatch() throws Exception {
        redis.command("SET", "tasque:{broken}:ready", "not a list");
        client = TasqueClient.builder().broker(blockingFirstSend()).build();
        Thread[] waiters = new Thread[2];
        CompletableFuture<String> leader = submitInThread("t", "leader", null);
        await().atMost(WAIT).until(() -> sends.get() == 1);
        CompletableFuture<String> healthy = submitInThread("healthy", "second", t -> waiters[0] = t);
        CompletableFuture<String> broken = submitInThread("broken", "third", t -> waiters[1] = t);
        await().atMost(WAIT).until(() -> parked(waiters[0]) && parked(waiters[1]));

        release.countDown();
        assertNotNull(leader.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        String id = healthy.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(1, client.admin().stats("healthy").ready(), "the healthy queue's job, sent with the broken one, is stored");
        assertEquals(id, redis.command("LINDEX", "tasque:{healthy}:ready", "0"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> broken.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        BrokenQueuesException failed = assertInstanceOf(BrokenQueuesException.class, e.getCause());
        assertEquals(BrokerException.Kind.DATA, failed.kind());
        assertEquals(List.of("broken"), failed.queues().stream().map(BrokenQueue::queue).toList());
        assertTrue(failed.getMessage().contains("WRONGTYPE"), failed.getMessage());
        assertEquals("not a list", redis.command("GET", "tasque:{broken}:ready"), "the broken key is left as it was");
        assertEquals("0", redis.command("EXISTS", "tasque:{broken}:jobs"), "no payload of the failed job is left behind");
    }

    @Test
    void aSubmitterWithItsInterruptFlagSetParksInsteadOfSpinningAndKeepsTheFlag() throws Exception {
        client = TasqueClient.builder().broker(blockingFirstSend()).build();
        CompletableFuture<String> leader = submitInThread("leader", null);
        await().atMost(WAIT).until(() -> sends.get() == 1);
        CompletableFuture<Boolean> flagAfter = new CompletableFuture<>();
        CompletableFuture<String> interrupted = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                interrupted.complete(client.submit(Task.of("t").set("who", "interrupted")));
            } catch (Throwable e) {
                interrupted.completeExceptionally(e);
            }
            flagAfter.complete(Thread.currentThread().isInterrupted());
        }, "interrupted-submitter");
        t.start();

        // a spinning thread is RUNNABLE nearly all the time; a parked one stays WAITING until it is woken
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> parked(t));

        release.countDown();
        assertNotNull(leader.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertNotNull(interrupted.get(WAIT.toSeconds(), TimeUnit.SECONDS), "the interrupted thread's submit completes");
        assertTrue(flagAfter.get(WAIT.toSeconds(), TimeUnit.SECONDS), "the interrupt flag is still set afterwards");
        assertEquals(2, client.admin().stats("t").ready());
    }

    @Test
    void aPayloadLimitOverWhatAWorkerReadsIsRefusedNamingTheValueAndTheMaximum() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TasqueClient.builder().maxPayloadBytes(64 * 1024 * 1024));
        assertTrue(e.getMessage().contains("67108864") && e.getMessage().contains("16777216"), e.getMessage());
        TasqueClient.builder().maxPayloadBytes(EnvelopeCodec.MAX_PAYLOAD_BYTES);
    }

    @Test
    void aLargerStringThanAWorkerReadsIsRefusedAtSubmitNamingTheKey() {
        client = TasqueClient.builder().broker(redis.uri()).maxPayloadBytes(EnvelopeCodec.MAX_PAYLOAD_BYTES).build();
        Task huge = Task.of("t").set("blob", "x".repeat(EnvelopeCodec.MAX_PAYLOAD_BYTES));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.submit(huge));
        assertTrue(e.getMessage().contains("task 't'") && e.getMessage().contains("limit of " + EnvelopeCodec.MAX_PAYLOAD_BYTES), e.getMessage());
        assertEquals(0, client.admin().stats("t").ready());
    }

    @Test
    void callsAfterCloseFailSayingTheClientIsClosed() {
        client = TasqueClient.connect(redis.uri());
        TasqueAdmin admin = client.admin();
        client.close();
        String closed = "tasque client for " + client.broker() + " is closed";
        assertEquals(closed, assertThrows(IllegalStateException.class, () -> client.submit(Task.of("t"))).getMessage());
        assertEquals(closed, assertThrows(IllegalStateException.class, () -> client.submit(Task.of("t"), Duration.ofSeconds(1))).getMessage());
        assertEquals(closed, assertThrows(IllegalStateException.class, () -> client.submitAll(List.of(Task.of("t")))).getMessage());
        assertEquals(closed, assertThrows(IllegalStateException.class, () -> admin.stats("t")).getMessage());
        assertEquals(closed, assertThrows(IllegalStateException.class, () -> client.admin().queues()).getMessage());
        assertEquals(closed, assertThrows(IllegalStateException.class, () -> admin.deadTasks("t")).getMessage());
        client.close();
    }

    /** The real Redis broker; its first enqueue waits for {@link #release}, then throws if asked to, else stores. */
    private Broker blockingFirstSend() {
        Broker real = Brokers.open(redis.uri(), BrokerOptions.defaults());
        return InterceptedBroker.before(real, (method, args) -> {
            if (method.equals("enqueueNew") && sends.incrementAndGet() == 1) {
                assertTrue(release.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the test never released the first send");
                if (firstSendThrows) {
                    throw new InjectedError();
                }
            }
        });
    }

    private CompletableFuture<String> submitInThread(String name, java.util.function.Consumer<Thread> started) {
        return submitInThread("t", name, started);
    }

    private CompletableFuture<String> submitInThread(String task, String name, java.util.function.Consumer<Thread> started) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(client.submit(Task.of(task).set("who", name)));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        if (started != null) {
            started.accept(t);
        }
        t.start();
        return result;
    }

    private static boolean parked(Thread t) {
        return t != null && t.getState() == Thread.State.WAITING;
    }
}
