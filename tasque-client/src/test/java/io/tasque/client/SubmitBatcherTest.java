package io.tasque.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.JobIds;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.OutgoingJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on an in-memory broker: submits that arrive while a send is under way share the next send, a
 * lone submit goes out at once, and every caller gets its own job's id.
 */
class SubmitBatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Broker broker = Brokers.open("memory://batcher-" + UUID.randomUUID(), BrokerOptions.defaults());
    /** The size of each send, in order. */
    private final List<Integer> sends = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstSendStarted = new CountDownLatch(1);
    private final CountDownLatch releaseFirstSend = new CountDownLatch(1);
    private final SubmitBatcher batcher = new SubmitBatcher(jobs -> {
        sends.add(jobs.size());
        if (sends.size() == 1) {
            firstSendStarted.countDown();
            awaitLatch(releaseFirstSend);
        }
        return broker.enqueue(jobs);
    }, broker.describe(), 1000);

    @AfterEach
    void close() {
        releaseFirstSend.countDown();
        broker.close();
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertTrue(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static OutgoingJob job() {
        return new OutgoingJob("q", JobIds.next(), new byte[] {1}, 0);
    }

    /** A thread that submits {@code job} and completes {@code id} with what the submit returned. */
    private Thread submitter(OutgoingJob job, CompletableFuture<String> id) {
        Thread t = new Thread(() -> {
            try {
                id.complete(batcher.submit(job));
            } catch (Throwable e) {
                id.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** True once {@code t} is parked in submit waiting for its job to be sent (not on the batcher's lock). */
    private static boolean waitingForASend(Thread t) {
        StackTraceElement[] stack = t.getStackTrace();
        return t.getState() == Thread.State.WAITING
                && Arrays.stream(stack).anyMatch(f -> f.getClassName().equals(SubmitBatcher.class.getName()) && f.getMethodName().equals("submit"))
                && Arrays.stream(stack).noneMatch(f -> f.getClassName().contains("ReentrantLock"));
    }

    @Test
    void submitsArrivingDuringASendShareTheNextSendAndEachGetsItsOwnId() throws Exception {
        OutgoingJob first = job();
        CompletableFuture<String> firstId = new CompletableFuture<>();
        submitter(first, firstId);
        awaitLatch(firstSendStarted);

        List<OutgoingJob> jobs = new ArrayList<>();
        List<CompletableFuture<String>> ids = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 49; i++) {
            jobs.add(job());
            ids.add(new CompletableFuture<>());
            threads.add(submitter(jobs.get(i), ids.get(i)));
        }
        await().atMost(WAIT).until(() -> threads.stream().allMatch(SubmitBatcherTest::waitingForASend));
        releaseFirstSend.countDown();

        assertEquals(first.id(), firstId.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        for (int i = 0; i < jobs.size(); i++) {
            assertEquals(jobs.get(i).id(), ids.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS), "caller " + i + " got its own job's id");
        }
        assertEquals(List.of(1, 49), sends, "the 49 submits that arrived during the first send went out together");
        HashSet<String> distinct = new HashSet<>(ids.stream().map(CompletableFuture::join).toList());
        distinct.add(firstId.join());
        assertEquals(50, distinct.size(), "no two callers got the same id");
        assertEquals(50, broker.stats("q").ready(), "every job is stored once");
    }

    @Test
    void aLoneSubmitGoesOutAtOnceInASendOfItsOwn() {
        releaseFirstSend.countDown();
        OutgoingJob only = job();
        assertEquals(only.id(), batcher.submit(only));
        assertEquals(List.of(1), sends);
        assertEquals(1, broker.stats("q").ready());
    }
}
