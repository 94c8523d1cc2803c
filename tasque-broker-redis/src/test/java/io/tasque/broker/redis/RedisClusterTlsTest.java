package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerContract;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.OutgoingJob;
import io.tasque.broker.QueueStats;
import io.tasque.broker.Reservation;
import io.tasque.testkit.RedisBinary;
import io.tasque.testkit.RedisCluster;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.TlsCertificates;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss-cluster://} on a real Redis Cluster that speaks TLS only (clients, cluster bus and replication): the
 * broker contract, jobs of queues on every master, and a server whose CA the URI does not trust refused by name.
 */
class RedisClusterTlsTest extends BrokerContract {

    @TempDir
    static Path dir;
    private static TlsCertificates certs;
    private static TlsCertificates otherCa;
    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        Path binary = RedisBinary.locate();
        Assumptions.assumeTrue(RedisBinary.supportsTls(binary), binary + " was built without TLS; the TLS tests are skipped");
        certs = TlsCertificates.create(dir.resolve("ca"), "tasque cluster test CA");
        otherCa = TlsCertificates.create(dir.resolve("other"), "another test CA");
        cluster = RedisCluster.startTls(certs);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static String withCa(String uri, TlsCertificates ca) {
        return uri + "?cacert=" + URLEncoder.encode(ca.caCert().toString(), StandardCharsets.UTF_8);
    }

    @BeforeEach
    void emptyEveryMaster() {
        cluster.flushMasters();
    }

    @Override
    protected Broker open(BrokerOptions options) {
        return Brokers.open(withCa(cluster.uri(), certs), options);
    }

    @Test
    void theClusterSpeaksTlsOnlyAndNamesItsTlsPorts() {
        assertTrue(cluster.uri().startsWith("rediss-cluster://"), cluster.uri());
        for (RedisServer node : cluster.nodes()) {
            assertEquals("port\n0", node.command("CONFIG", "GET", "port"), "no plain-text port on " + node);
        }
        // the broker learns the masters from CLUSTER SLOTS: reaching every one proves those are TLS ports
        String slots = cluster.nodes().get(0).command("CLUSTER", "SLOTS");
        for (RedisServer node : cluster.nodes()) {
            assertTrue(slots.contains(Integer.toString(node.port())), node.port() + " in " + slots);
        }
    }

    @Test
    void jobsOfQueuesOnEveryMasterAreStoredLeasedAndAckedOverTls() {
        Set<Integer> masters = new HashSet<>();
        List<OutgoingJob> jobs = new ArrayList<>();
        for (String q : RedisClusterBrokerTest.SPREAD) {
            masters.add(cluster.masterOf(cluster.slotOf("tasque:{" + q + "}:ready")).port());
            jobs.add(job(q, q + "1"));
            jobs.add(job(q, q + "2"));
        }
        assertEquals(3, masters.size(), "the queues span the three masters");
        broker.enqueue(jobs);
        for (String q : RedisClusterBrokerTest.SPREAD) {
            assertEquals(new QueueStats(q, 2, 0, 0, 0), broker.stats(q));
        }
        Reservation r = broker.reserve(RedisClusterBrokerTest.SPREAD, 10, LEASE);
        assertEquals(10, r.deliveries().size());
        for (boolean acked : broker.ack(r.deliveries())) {
            assertTrue(acked);
        }
        for (String q : RedisClusterBrokerTest.SPREAD) {
            assertEquals(new QueueStats(q, 0, 0, 0, 0), broker.stats(q));
        }
        assertEquals(List.of(), broker.queues());
    }

    @Test
    void aClusterWhoseCaTheUriDoesNotTrustIsRefusedNamingTheCertificate() {
        BrokerOptions quick = BrokerOptions.builder().commandTimeout(Duration.ofSeconds(2)).build();
        try (Broker b = Brokers.open(withCa(cluster.uri(), otherCa), quick)) {
            BrokerException e = assertThrows(BrokerException.class, () -> b.stats("a"));
            assertEquals(BrokerException.Kind.REFUSED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("TLS handshake") && e.getMessage().contains("certificate"), e.getMessage());
        }
        // the plain-text scheme on a TLS-only cluster fails, never silently talks plain text
        try (Broker b = Brokers.open(cluster.uri().replace("rediss-cluster://", "redis-cluster://"), quick)) {
            assertThrows(BrokerException.class, () -> b.stats("a"));
        }
    }
}
