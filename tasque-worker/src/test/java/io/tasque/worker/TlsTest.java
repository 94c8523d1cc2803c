package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisBinary;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.TlsCertificates;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rediss:// against a real redis-server serving TLS with a CA made at test time: a task round trip with the CA
 * from the URI, a trust store or a socket factory; certificate verification on by default; a bounded handshake.
 */
class TlsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private static TlsCertificates certs;
    private static TlsCertificates otherCa;
    private static RedisServer tls;
    private static RedisServer plain;

    @BeforeAll
    static void startServers() {
        Path binary = RedisBinary.locate();
        org.junit.jupiter.api.Assumptions.assumeTrue(RedisBinary.supportsTls(binary),
                binary + " was built without TLS; the TLS tests are skipped");
        certs = TlsCertificates.create(dir.resolve("ca"), "tasque test CA");
        otherCa = TlsCertificates.create(dir.resolve("other"), "another test CA");
        tls = RedisServer.builder().tls(certs).start();
        plain = RedisServer.start();
    }

    @AfterAll
    static void stopServers() {
        if (tls != null) {
            tls.close();
        }
        if (plain != null) {
            plain.close();
        }
    }

    private static String withCa(TlsCertificates ca) {
        return tls.uri() + "?cacert=" + URLEncoder.encode(ca.caCert().toString(), StandardCharsets.UTF_8);
    }

    @Test
    void aTaskRoundTripsOverTlsWithTheCaFromTheUri() {
        Set<String> done = ConcurrentHashMap.newKeySet();
        try (TasqueClient client = TasqueClient.connect(withCa(certs));
                Worker worker = Worker.builder().broker(withCa(certs)).shutdownHook(false)
                        .handle("secure", task -> done.add(task.id() + "=" + task.param("n", Integer.class))).build().start()) {
            String id = client.submit(Task.of("secure").set("n", 7));
            await().atMost(WAIT).until(() -> done.contains(id + "=7"));
            assertEquals("rediss://127.0.0.1:" + tls.port() + "/0", worker.broker());
        }
    }

    @Test
    void aTrustStoreFromTheUriOrASocketFactoryInTheOptionsWorksToo() {
        String store = tls.uri() + "?truststore=" + URLEncoder.encode(certs.trustStore().toString(), StandardCharsets.UTF_8)
                + "&truststorePassword=" + certs.trustStorePassword();
        try (TasqueClient client = TasqueClient.connect(store)) {
            client.submit(Task.of("viaStore"));
            assertEquals(1, client.admin().stats("viaStore").ready());
        }
        BrokerOptions options = BrokerOptions.builder().sslSocketFactory(certs.socketFactory()).build();
        try (TasqueClient client = TasqueClient.builder().broker(tls.uri()).brokerOptions(options).build()) {
            client.submit(Task.of("viaFactory"));
            assertEquals(1, client.admin().stats("viaFactory").ready());
        }
    }

    @Test
    void aServerSignedByAnotherCaFailsAtConnectNamingTheCertificate() {
        for (String uri : new String[] {withCa(otherCa), tls.uri()}) {
            long start = System.nanoTime();
            BrokerException e = assertThrows(BrokerException.class, () -> TasqueClient.builder().broker(uri)
                    .enqueueTimeout(Duration.ofSeconds(1)).build().close(), uri);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(BrokerException.Kind.REFUSED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("TLS") && e.getMessage().contains("certificate"), e.getMessage());
            assertTrue(ms < 3000, "took " + ms + " ms");
        }
    }

    @Test
    void theBrokerAWorkerUsesRefusesAServerSignedByAnotherCa() {
        try (Broker broker = Brokers.open(withCa(otherCa), BrokerOptions.defaults())) {
            BrokerException e = assertThrows(BrokerException.class, broker::ping);
            assertEquals(BrokerException.Kind.REFUSED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("certificate"), e.getMessage());
        }
    }

    @Test
    void redissToAPlainTextServerFailsWithinTheEnqueueTimeoutNamingTls() {
        Duration timeout = Duration.ofSeconds(1);
        long start = System.nanoTime();
        try (TasqueClient client = TasqueClient.builder().broker("rediss://127.0.0.1:" + plain.port())
                .enqueueTimeout(timeout).build()) {
            long submitStart = System.nanoTime();
            BrokerException e = assertThrows(BrokerException.class, () -> client.submit(Task.of("foo")));
            long submitMs = (System.nanoTime() - submitStart) / 1_000_000;
            long totalMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().contains("TLS"), e.getMessage());
            // correctness bounds, not speed targets: the handshake must not outlast the caller's timeout
            assertTrue(submitMs < 3 * timeout.toMillis(), "submit took " + submitMs + " ms: " + e.getMessage());
            assertTrue(totalMs < 3 * timeout.toMillis(), "connect and submit took " + totalMs + " ms");
        }
    }

    @Test
    void anUnreadableCaFileIsABadUriNamingTheFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TasqueClient.connect(tls.uri() + "?cacert=/nonexistent/ca.pem"));
        assertTrue(e.getMessage().contains("/nonexistent/ca.pem"), e.getMessage());
    }
}
