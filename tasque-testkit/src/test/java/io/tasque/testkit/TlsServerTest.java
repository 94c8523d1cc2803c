package io.tasque.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsServerTest {

    @BeforeAll
    static void needsTls() {
        Path binary = RedisBinary.locate();
        Assumptions.assumeTrue(RedisBinary.supportsTls(binary), binary + " was built without TLS; the TLS tests are skipped");
    }

    @Test
    void certificatesAreMadeAtTestTimeWithAPkcs8KeyAndAPemCa(@TempDir Path dir) throws Exception {
        TlsCertificates certs = TlsCertificates.create(dir, "tasque test CA");
        assertTrue(Files.readString(certs.serverKey()).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(Files.readString(certs.caCert()).startsWith("-----BEGIN CERTIFICATE-----"));
        assertTrue(Files.readString(certs.serverCert()).startsWith("-----BEGIN CERTIFICATE-----"));
        assertTrue(Files.size(certs.trustStore()) > 0);
    }

    @Test
    void aTlsServerAnswersOverTlsOnlyAndItsUriSaysRediss(@TempDir Path dir) {
        TlsCertificates certs = TlsCertificates.create(dir.resolve("certs"), "tasque test CA");
        try (RedisServer server = RedisServer.builder().tls(certs).start()) {
            assertEquals("rediss://127.0.0.1:" + server.port(), server.uri());
            assertEquals("PONG", server.command("PING"));
            assertEquals("tls-port\n" + server.port(), server.command("CONFIG", "GET", "tls-port"));
            assertEquals("port\n0", server.command("CONFIG", "GET", "port"));
            assertThrows(UncheckedIOException.class,
                    () -> RespClient.call(server.host(), server.port(), Duration.ofMillis(500), "PING"));
            server.restart();
            assertEquals("PONG", server.command("PING"));
        }
    }

    @Test
    void aClientTrustingAnotherCaCannotTalkToTheServer(@TempDir Path dir) {
        TlsCertificates certs = TlsCertificates.create(dir.resolve("a"), "tasque test CA a");
        TlsCertificates other = TlsCertificates.create(dir.resolve("b"), "tasque test CA b");
        try (RedisServer server = RedisServer.builder().tls(certs).start()) {
            assertFalse(RespClient.ping(server.host(), server.port(), Duration.ofSeconds(2), other.socketFactory()));
            assertTrue(RespClient.ping(server.host(), server.port(), Duration.ofSeconds(2), certs.socketFactory()));
        }
    }
}
