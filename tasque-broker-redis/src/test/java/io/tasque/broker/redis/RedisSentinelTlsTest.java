package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.Delivery;
import io.tasque.broker.QueueStats;
import io.tasque.testkit.RedisBinary;
import io.tasque.testkit.RedisSentinelDeployment;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.TlsCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss-sentinel://} on a real deployment that speaks TLS only, sentinels and data servers alike: jobs go
 * round over TLS to the master the sentinels name, and a deployment whose CA the URI does not trust is refused.
 */
class RedisSentinelTlsTest {

    private static final BrokerOptions QUICK = BrokerOptions.builder().commandTimeout(Duration.ofSeconds(2)).build();
    private static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static TlsCertificates certs;
    private static TlsCertificates otherCa;
    private static RedisSentinelDeployment deployment;

    @BeforeAll
    static void startDeployment() {
        Path binary = RedisBinary.locate();
        Assumptions.assumeTrue(RedisBinary.supportsTls(binary), binary + " was built without TLS; the TLS tests are skipped");
        certs = TlsCertificates.create(dir.resolve("ca"), "tasque sentinel test CA");
        otherCa = TlsCertificates.create(dir.resolve("other"), "another test CA");
        deployment = RedisSentinelDeployment.startTls(1, certs);
    }

    @AfterAll
    static void stopDeployment() {
        if (deployment != null) {
            deployment.close();
        }
    }

    @BeforeEach
    void emptyTheMaster() {
        deployment.master().flushAll();
    }

    @Test
    void everyDataServerSpeaksTlsOnly() {
        assertTrue(deployment.uri().startsWith("rediss-sentinel://"), deployment.uri());
        for (RedisServer s : deployment.dataServers()) {
            assertEquals("port\n0", s.command("CONFIG", "GET", "port"), "no plain-text port on " + s);
        }
    }

    @Test
    void jobsGoRoundOverTlsOnTheMasterTheSentinelsName() {
        try (Broker b = Brokers.open(RedisClusterTlsTest.withCa(deployment.uri(), certs), QUICK)) {
            b.enqueue(List.of(new io.tasque.broker.OutgoingJob("q", "a", new byte[] {1}, 0),
                    new io.tasque.broker.OutgoingJob("other", "b", new byte[] {2}, 0)));
            assertEquals(new QueueStats("q", 1, 0, 0, 0), b.stats("q"));
            assertEquals(List.of("other", "q"), b.queues());
            List<Delivery> got = b.reserve(List.of("q", "other"), 10, LEASE).deliveries();
            assertEquals(2, got.size());
            for (boolean acked : b.ack(got)) {
                assertTrue(acked);
            }
            assertEquals(new QueueStats("q", 0, 0, 0, 0), b.stats("q"));
            assertEquals("0", deployment.master().command("HLEN", "tasque:{q}:jobs"), "acked on the master");
        }
    }

    @Test
    void aDeploymentWhoseCaTheUriDoesNotTrustIsRefusedNamingTheCertificate() {
        try (Broker b = Brokers.open(RedisClusterTlsTest.withCa(deployment.uri(), otherCa), QUICK)) {
            BrokerException e = assertThrows(BrokerException.class, () -> b.stats("q"));
            assertEquals(BrokerException.Kind.REFUSED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("certificate"), e.getMessage());
        }
    }
}
