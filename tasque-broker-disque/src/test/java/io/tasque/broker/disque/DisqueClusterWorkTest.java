package io.tasque.broker.disque;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.Delivery;
import io.tasque.broker.OutgoingJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work shared by the nodes of a three-node cluster: a worker finds jobs wherever they are queued, and with the
 * default replication the cluster keeps taking jobs while one node is down. Each test gets a fresh cluster.
 */
@Tag("slow")
class DisqueClusterWorkTest {

    private static final Logger log = LoggerFactory.getLogger(DisqueClusterWorkTest.class);

    /** Far below what Disque's federation takes to move jobs to a waiting worker's node (4 to 30 s). */
    private static final Duration QUICKLY = Duration.ofSeconds(3);
    private static final int ROUNDS = 4;
    private static final Duration IDLE_FIRST = Duration.ofSeconds(6);
    /** How long submits go on after the kill: twice the node timeout the test clusters run with. */
    private static final Duration DOWN_FOR = Duration.ofSeconds(4);

    private DisqueDeployment.Cluster cluster;
    private final List<DisqueBroker> brokers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();

    @BeforeEach
    void startCluster() {
        cluster = DisqueDeployment.cluster(3, "--cluster-node-timeout", "2000");
        Assumptions.assumeTrue(cluster != null, DisqueDeployment.NO_DISQUE_BINARY);
    }

    @AfterEach
    void stopCluster() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
        brokers.forEach(DisqueBroker::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private DisqueBroker open(DisqueOptions options) {
        DisqueBroker b = new DisqueBroker(BrokerUri.parse(cluster.uri()), BrokerOptions.defaults(), options);
        brokers.add(b);
        return b;
    }

    private void background(String name, Runnable body) {
        Thread t = new Thread(body, name);
        threads.add(t);
        t.start();
    }

    @Test
    void jobsQueuedOnOtherNodesReachAWorkerWaitingOnItsOwnNodeQuickly() {
        DisqueBroker worker = open(DisqueOptions.defaults());
        String own = worker.currentNode().addressKey();
        List<DisqueServer> others = cluster.servers().stream().filter(s -> !s.address().equals(own)).toList();
        Set<String> done = ConcurrentHashMap.newKeySet();
        AtomicInteger deliveries = new AtomicInteger();
        AtomicInteger refusedAcks = new AtomicInteger();
        AtomicInteger idleWaits = new AtomicInteger();
        // a worker's fetch lane: reserve, ack, and when there is nothing, wait for work
        background("worker", () -> {
            while (!stop.get()) {
                List<Delivery> got = worker.reserve(List.of("work"), 10, Duration.ofSeconds(30)).deliveries();
                deliveries.addAndGet(got.size());
                boolean[] acked = worker.ack(got);
                for (int i = 0; i < got.size(); i++) {
                    if (acked[i]) {
                        done.add(got.get(i).id());
                    } else {
                        refusedAcks.incrementAndGet();
                    }
                }
                if (got.isEmpty()) {
                    worker.awaitWork(List.of("work"), Duration.ofSeconds(2));
                    idleWaits.incrementAndGet();
                }
            }
        });
        // the worker has waited a while when the jobs come: Disque's federation asks the other nodes for jobs less
        // and less often while a node waits (again after 4 s, 8 s, 16 s, then every 30 s)
        long idleSince = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).until(() -> idleWaits.get() >= 1
                && System.nanoTime() - idleSince >= IDLE_FIRST.toNanos());

        // then rounds one after the other, as jobs keep coming
        Set<String> added = ConcurrentHashMap.newKeySet();
        List<Long> roundsMs = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            Set<String> batch = new java.util.HashSet<>();
            for (DisqueServer node : others) {
                for (int i = 0; i < 50; i++) {
                    // one copy only, so the job can reach the worker from that node alone (a Go client's job, say)
                    batch.add(Replies.str(node.send(DisqueCommand.ADDJOB, "__tasque__work", "job-" + round + "-" + i,
                            "2000", "REPLICATE", "1", "RETRY", "30")));
                }
            }
            added.addAll(batch);
            await().atMost(Duration.ofSeconds(60)).until(() -> done.containsAll(batch));
            roundsMs.add((System.nanoTime() - start) / 1_000_000);
        }
        log.info("rounds of {} jobs added on {} reached a worker waiting on {} after {} ms", 50 * others.size(),
                others.stream().map(DisqueServer::address).toList(), own, roundsMs);
        for (long ms : roundsMs) {
            assertTrue(ms <= QUICKLY.toMillis(), "a round took " + ms + " ms to reach the worker (" + roundsMs
                    + "); expected <= " + QUICKLY);
        }
        assertEquals(added, done);
        assertEquals(added.size(), deliveries.get(), "jobs delivered more than once");
        assertEquals(0, refusedAcks.get(), "acks refused (sent to a node that did not hand the job out?)");
    }

    @Test
    void withTheDefaultReplicationSubmitsGoOnWhileOneNodeOfThreeIsKilledAndNoneIsLost() {
        DisqueBroker client = open(DisqueOptions.defaults());
        client.ping();
        String own = client.currentNode().addressKey();
        DisqueServer victim = cluster.servers().stream().filter(s -> !s.address().equals(own)).findFirst().orElseThrow();
        Set<String> stored = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        AtomicLong slowestMs = new AtomicLong();
        AtomicInteger afterKill = new AtomicInteger(-1);
        List<String> errors = new ArrayList<>();
        background("submitter", () -> {
            for (int i = 0; !stop.get(); i++) {
                long t0 = System.nanoTime();
                try {
                    stored.add(client.enqueue(List.of(new OutgoingJob("work", "ignored",
                            ("job-" + i).getBytes(StandardCharsets.UTF_8), 0))).get(0));
                    if (afterKill.get() >= 0) {
                        afterKill.incrementAndGet();
                    }
                } catch (BrokerException e) {
                    refused.incrementAndGet();
                    synchronized (errors) {
                        if (errors.size() < 3) {
                            errors.add(e.getMessage());
                        }
                    }
                }
                slowestMs.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> stored.size() >= 100);
        long slowestBefore = slowestMs.getAndSet(0);
        afterKill.set(0);
        long killedAt = System.nanoTime();
        victim.kill();
        // the survivors lose their link to it at once and flag it as failing after the node timeout (2 s); submits
        // go on before and after that, for twice the node timeout
        cluster.awaitView(3, 2, Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(20)).until(() -> System.nanoTime() - killedAt >= DOWN_FOR.toNanos());
        stop.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> !threads.get(0).isAlive());
        log.info("submits with one node of three killed: {} stored, {} of them in the {} after the kill, {} refused;"
                + " slowest submit {} ms before the kill, {} ms from the kill on", stored.size(), afterKill.get(), DOWN_FOR,
                refused.get(), slowestBefore, slowestMs.get());
        assertEquals(0, refused.get(), "submits refused after one node of three was killed, first ones: " + errors);
        assertTrue(afterKill.get() >= 100, "only " + afterKill.get() + " submits in the " + DOWN_FOR + " after the kill");

        DisqueBroker worker = open(DisqueOptions.defaults());
        Set<String> done = new java.util.HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.containsAll(stored) && System.nanoTime() < deadline) {
            List<Delivery> got = worker.reserve(List.of("work"), 100, Duration.ofSeconds(30)).deliveries();
            boolean[] acked = worker.ack(got);
            for (int i = 0; i < got.size(); i++) {
                if (acked[i]) {
                    done.add(got.get(i).id());
                }
            }
            if (got.isEmpty()) {
                worker.awaitWork(List.of("work"), Duration.ofSeconds(1));
            }
        }
        Set<String> missing = new java.util.TreeSet<>(stored);
        missing.removeAll(done);
        assertTrue(missing.isEmpty(), missing.size() + " of " + stored.size() + " stored jobs never came back: " + missing);
    }
}
