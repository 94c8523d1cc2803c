package io.tasque.broker.disque;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.Delivery;
import io.tasque.broker.OutgoingJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Several Disque nodes: discovery from one seed (HELLO), brokers spread over the nodes, the node list refreshed,
 * and failover when the broker's node is killed in the middle of work. Each test gets a fresh three-node cluster.
 */
@Tag("slow")
class DisqueClusterTest {

    private DisqueDeployment.Cluster cluster;
    private final List<DisqueBroker> brokers = new ArrayList<>();

    @BeforeEach
    void startCluster() {
        cluster = DisqueDeployment.cluster(3, "--cluster-node-timeout", "2000");
        Assumptions.assumeTrue(cluster != null, DisqueDeployment.NO_DISQUE_BINARY);
    }

    @AfterEach
    void stopCluster() {
        brokers.forEach(DisqueBroker::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private DisqueBroker open(String uri, DisqueOptions options) {
        DisqueBroker b = new DisqueBroker(BrokerUri.parse(uri), BrokerOptions.defaults(), options);
        brokers.add(b);
        return b;
    }

    @Test
    void oneSeedIsEnoughToFindEveryNode() {
        DisqueBroker b = open(cluster.servers().get(0).uri(), DisqueOptions.defaults());
        b.ping();
        Set<Integer> ports = new TreeSet<>();
        for (DisqueNode n : b.nodes().all()) {
            ports.add(n.port());
        }
        Set<Integer> expected = new TreeSet<>();
        cluster.servers().forEach(s -> expected.add(s.port()));
        assertEquals(expected, ports);
    }

    @Test
    void brokersSpreadOverTheNodes() {
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            used.add(open(cluster.servers().get(0).uri(), DisqueOptions.defaults()).currentNode().addressKey());
        }
        assertTrue(used.size() >= 2, "20 brokers from one seed all chose " + used);
    }

    @Test
    void theNodeListIsRefreshedAndLearnsOfANodeThatJoinsLater() {
        DisqueBroker b = open(cluster.servers().get(0).uri(), DisqueOptions.builder().nodeRefresh(Duration.ofMillis(500)).build());
        assertEquals(3, b.nodes().all().size());
        DisqueServer late = DisqueServer.start(DisqueServer.binary(), "--cluster-node-timeout", "2000");
        cluster.servers().add(late);
        cluster.servers().get(0).send(DisqueCommand.CLUSTER, "MEET", "127.0.0.1", Integer.toString(late.port()));
        cluster.awaitView(4, 4, Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(10)).until(() -> b.nodes().all().size() == 4);
    }

    @Test
    void whenItsNodeIsKilledTheBrokerFailsOverAndNoJobIsLost() {
        DisqueOptions options = DisqueOptions.builder().replicate(2).lease(Duration.ofSeconds(2)).build();
        DisqueBroker b = open(cluster.uri(), options);
        List<OutgoingJob> jobs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            jobs.add(new OutgoingJob("work", "ignored", ("job-" + i).getBytes(StandardCharsets.UTF_8), 0));
        }
        b.enqueue(jobs);
        Set<String> done = new HashSet<>();
        for (Delivery d : b.reserve(List.of("work"), 10, Duration.ofSeconds(2)).deliveries()) {
            b.ack(List.of(d));
            done.add(new String(d.payload(), StandardCharsets.UTF_8));
        }
        // a job in the hands of this worker when the node dies, never acked: it must come back elsewhere
        Delivery inFlight = b.reserve(List.of("work"), 1, Duration.ofSeconds(2)).deliveries().get(0);
        String before = b.currentNode().addressKey();
        cluster.server(before).kill();

        int failures = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (done.size() < 40 && System.nanoTime() < deadline) {
            try {
                List<Delivery> got = b.reserve(List.of("work"), 10, Duration.ofSeconds(2)).deliveries();
                for (Delivery d : got) {
                    if (b.ack(List.of(d))[0]) {
                        done.add(new String(d.payload(), StandardCharsets.UTF_8));
                    }
                }
                if (got.isEmpty()) {
                    b.awaitWork(List.of("work"), Duration.ofSeconds(1));
                }
            } catch (BrokerException e) {
                failures++;
                DisqueServer.sleep(200);
            }
        }
        assertEquals(40, done.size(), "jobs done after the kill; missing: " + missing(done) + "; in flight at the kill: "
                + new String(inFlight.payload(), StandardCharsets.UTF_8));
        assertNotEquals(before, b.currentNode().addressKey());
        assertTrue(failures <= 3, failures + " calls failed after the kill; expected at most the ones in flight");
    }

    private static List<String> missing(Set<String> done) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            if (!done.contains("job-" + i)) {
                out.add("job-" + i);
            }
        }
        return out;
    }
}
