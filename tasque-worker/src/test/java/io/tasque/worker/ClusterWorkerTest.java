package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.client.QueueCounts;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisCluster;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedisCluster;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker on a real Redis Cluster (three masters with a replica each, one cluster for the class): queues on
 * every master, and a master killed with SIGKILL while jobs flow.
 */
@WithRedisCluster
class ClusterWorkerTest {

    private static final Logger log = LoggerFactory.getLogger(ClusterWorkerTest.class);
    /** Five queues whose slots are served by all three masters. */
    private static final List<String> QUEUES = List.of("a", "b", "c", "d", "e");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final RedisCluster cluster;
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private TasqueClient client;
    private Worker worker;

    ClusterWorkerTest(RedisCluster cluster) {
        this.cluster = cluster;
    }



    @AfterEach
    void closeAll() {
        if (worker != null) {
            worker.close();
        }
        if (client != null) {
            client.close();
        }
    }

    private Worker startWorker(String uri) {
        Worker.Builder b = Worker.builder().broker(uri).shutdownHook(false).gracePeriod(Duration.ofSeconds(2))
                .concurrency(8).lease(Duration.ofSeconds(3)).janitorInterval(Duration.ofMillis(500));
        for (String q : QUEUES) {
            b.handle(q, t -> runs.computeIfAbsent(t.id(), id -> new AtomicInteger()).incrementAndGet());
        }
        worker = b.build().start();
        return worker;
    }

    @Test
    void aWorkerRunsTheJobsOfQueuesOnEveryMaster() {
        Set<Integer> masters = new HashSet<>();
        for (String q : QUEUES) {
            masters.add(cluster.masterOf(cluster.slotOf("tasque:{" + q + "}:ready")).port());
        }
        assertEquals(3, masters.size(), "queues " + QUEUES + " should span the three masters");
        client = TasqueClient.connect(cluster.uri());
        startWorker(cluster.uri());
        List<String> ids = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add(client.submit(Task.of(QUEUES.get(i % QUEUES.size())).set("i", i)));
        }
        await().atMost(WAIT).until(() -> ids.stream().allMatch(runs::containsKey));
        for (String q : QUEUES) {
            await().atMost(WAIT).until(() -> client.admin().stats(q).equals(new QueueCounts(q, 0, 0, 0, 0)));
        }
        assertEquals(100, runs.size());
    }

    /**
     * One task name split into three partitions, one on each master: jobs submitted one by one and in bulk are spread
     * over them, and two workers run every job once.
     */
    @Test
    void oneQueueSplitOverEveryMasterIsRunByTwoWorkers() {
        Set<Integer> masters = new HashSet<>();
        for (String p : List.of("work", "work#1", "work#2")) {
            masters.add(cluster.masterOf(cluster.slotOf("tasque:{" + p + "}:ready")).port());
        }
        assertEquals(3, masters.size(), "the partitions of 'work' should span the three masters");
        client = TasqueClient.connect(cluster.uri());
        client.admin().partitions("work", 3);
        assertEquals(3, client.admin().partitions("work"));
        Map<String, Set<String>> ranOn = new ConcurrentHashMap<>();
        List<Worker> workers = new java.util.ArrayList<>();
        try {
            for (String name : List.of("w1", "w2")) {
                workers.add(Worker.builder().broker(cluster.uri()).shutdownHook(false).concurrency(4)
                        .handle("work", t -> {
                            runs.computeIfAbsent(t.id(), id -> new AtomicInteger()).incrementAndGet();
                            ranOn.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(t.id());
                        }).build().start());
            }
            List<String> ids = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 60; i++) {
                ids.add(client.submit(Task.of("work").set("i", i)));
            }
            List<Task> bulk = new java.util.ArrayList<>();
            for (int i = 0; i < 240; i++) {
                bulk.add(Task.of("work").set("bulk", i));
            }
            ids.addAll(client.submitAll(bulk));
            await().atMost(WAIT).until(() -> ids.stream().allMatch(runs::containsKey));
            await().atMost(WAIT).until(() -> client.admin().stats("work").equals(new QueueCounts("work", 0, 0, 0, 0)));
            assertEquals(300, runs.size());
            assertTrue(runs.values().stream().allMatch(n -> n.get() == 1), "every job ran once");
            assertEquals(Set.of("w1", "w2"), ranOn.keySet(), "both workers took jobs");
        } finally {
            workers.forEach(Worker::close);
        }
    }

    /**
     * SIGKILL of the master of one queue's slot while a client submits to all five queues and a worker runs them,
     * with {@code ?replicas=1}: its replica takes over, the killed node comes back as a replica (with replicas=1 a
     * shard needs one to accept writes), and the client and worker carry on by themselves. Every submit that
     * returned is run; runs of jobs whose submit failed may happen too (stored, but the confirmation was lost).
     */
    @Test
    void aKilledMastersReplicaTakesOverAndNoJobWhoseSubmitReturnedIsLost() throws Exception {
        String uri = cluster.uri() + "?replicas=1";
        client = TasqueClient.builder().broker(uri).enqueueTimeout(Duration.ofSeconds(2)).build();
        startWorker(uri);
        Set<String> submitted = ConcurrentHashMap.newKeySet();
        AtomicInteger failedSubmits = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<RuntimeException> firstFailure = new AtomicReference<>();
        Thread submitter = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                try {
                    submitted.add(client.submit(Task.of(QUEUES.get(i % QUEUES.size())).set("i", i)));
                } catch (RuntimeException e) {
                    firstFailure.compareAndSet(null, e);
                    failedSubmits.incrementAndGet();
                }
                try {
                    Thread.sleep(1); // a steady stream, not a flood (LockSupport.parkNanos woke early on this thread)
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "submitter");
        submitter.start();
        try {
            awaitReporting("300 jobs run before the kill", () -> runs.size() >= 300, failedSubmits, firstFailure);
            int slot = cluster.slotOf("tasque:{a}:ready");
            long killedAt = System.nanoTime();
            RedisServer killed = cluster.killMasterOf(slot);
            long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
            cluster.rejoin(killed);
            long rejoinedMs = (System.nanoTime() - killedAt) / 1_000_000;
            int atRejoin = submitted.size();
            awaitReporting("300 more submits after the rejoin", () -> submitted.size() >= atRejoin + 300, failedSubmits, firstFailure);
            stop.set(true);
            submitter.join(WAIT.toMillis());
            long drainFrom = System.nanoTime();
            await().atMost(WAIT).until(() -> submitted.stream().allMatch(runs::containsKey));
            long drainMs = (System.nanoTime() - drainFrom) / 1_000_000;

            long dead = 0;
            for (String q : QUEUES) {
                dead += client.admin().stats(q).dead();
            }
            long duplicates = 0;
            int completed = 0;
            int unconfirmed = 0;
            for (Map.Entry<String, AtomicInteger> e : runs.entrySet()) {
                if (submitted.contains(e.getKey())) {
                    completed++;
                    duplicates += e.getValue().get() - 1;
                } else {
                    unconfirmed++;
                }
            }
            long lost = submitted.stream().filter(id -> !runs.containsKey(id)).count();
            log.info("cluster master SIGKILL: submitted={} completed={} duplicates={} dead={} lost={} failedSubmits={}"
                            + " ranAfterFailedSubmit={} failoverMs={} rejoinedMs={} drainMs={}", submitted.size(), completed,
                    duplicates, dead, lost, failedSubmits.get(), unconfirmed, failoverMs, rejoinedMs, drainMs);
            log.info("first failed submit: {}", String.valueOf(firstFailure.get()));
            assertEquals(0, lost, "every job whose submit returned ran");
            assertEquals(0, dead);
            assertEquals(submitted.size(), completed);
            assertTrue(worker.isRunning());
            await().atMost(WAIT).until(() -> worker.health().brokerReachable());
        } finally {
            stop.set(true);
            submitter.join(WAIT.toMillis());
        }
    }

    /** Waits for {@code condition}; a timeout says how many submits had failed by then, and the first error. */
    private static void awaitReporting(String what, Callable<Boolean> condition, AtomicInteger failedSubmits,
                                       AtomicReference<RuntimeException> firstFailure) {
        try {
            await().atMost(WAIT).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "; " + failedSubmits.get()
                    + " submits had failed, the first with " + firstFailure.get(), e);
        }
    }
}
