package io.tasque.samples.downloader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tasque.Task;
import io.tasque.worker.PermanentFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadHandlerTest {

    private static final byte[] BODY = "report line 1\nreport line 2\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // fails the first request with 500, then serves the file
        server.createContext("/flaky/report.txt", exchange -> {
            try (exchange) {
                if (requests.incrementAndGet() == 1) {
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, BODY.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(BODY);
                }
            }
        });
        server.createContext("/moved", exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().set("Location", "/flaky/report.txt");
                exchange.sendResponseHeaders(302, -1);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void aServerErrorFailsTheJobNamingUrlAndStatusThenTheRetrySavesTheFile() throws Exception {
        String url = url("/flaky/report.txt");
        DownloadHandler handler = new DownloadHandler(dir);

        IOException failure = assertThrows(IOException.class, () -> handler.handle(task(url, 1)));
        assertTrue(failure.getMessage().contains(url), failure.getMessage());
        assertTrue(failure.getMessage().contains("HTTP 500"), failure.getMessage());
        assertEquals(List.of(), listDir(), "a failed download must leave no file behind");

        handler.handle(task(url, 2));

        Path saved = dir.resolve(md5Hex(url) + ".txt");
        assertEquals(List.of(saved.getFileName().toString()), listDir());
        assertArrayEquals(BODY, Files.readAllBytes(saved));
        assertEquals(saved, handler.target(url));
    }

    @Test
    void followsRedirectsAndNamesTheFileByTheRequestedUrl() throws Exception {
        requests.set(1);
        String url = url("/moved");

        new DownloadHandler(dir).handle(task(url, 1));

        assertArrayEquals(BODY, Files.readAllBytes(dir.resolve(md5Hex(url))));
    }

    @Test
    void aRepeatedDownloadReplacesTheFile() throws Exception {
        requests.set(1);
        String url = url("/flaky/report.txt");
        DownloadHandler handler = new DownloadHandler(dir);
        Files.writeString(handler.target(url), "stale");

        handler.handle(task(url, 1));

        assertArrayEquals(BODY, Files.readAllBytes(handler.target(url)));
        assertEquals(1, listDir().size());
    }

    @Test
    void aMissingFileIsAPermanentFailureNamingUrlAndStatus() {
        String url = url("/nothing-here.pdf");

        PermanentFailure failure = assertThrows(PermanentFailure.class, () -> new DownloadHandler(dir).handle(task(url, 1)));
        assertEquals("download of " + url + " failed: HTTP 404 (expected 2xx; a 4xx other than 408 and 429 is not retried)",
                failure.getMessage());
    }

    @Test
    void tooManyRequestsAndRequestTimeoutAreFailuresToRetry() throws IOException {
        server.createContext("/busy", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(429, -1);
            }
        });
        server.createContext("/slow", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(408, -1);
            }
        });
        DownloadHandler handler = new DownloadHandler(dir);

        IOException busy = assertThrows(IOException.class, () -> handler.handle(task(url("/busy"), 1)));
        assertEquals("download of " + url("/busy") + " failed: HTTP 429 (expected 2xx)", busy.getMessage());
        IOException slow = assertThrows(IOException.class, () -> handler.handle(task(url("/slow"), 1)));
        assertEquals("download of " + url("/slow") + " failed: HTTP 408 (expected 2xx)", slow.getMessage());
    }

    @Test
    void anUnreachableServerIsAFailureNamingTheUrl() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/report.txt";

        IOException failure = assertThrows(IOException.class, () -> new DownloadHandler(dir).handle(task(url, 1)));
        assertTrue(failure.getMessage().startsWith("download of " + url + " failed: "), failure.getMessage());
        assertTrue(failure.getMessage().contains("ConnectException"), "the cause is named: " + failure.getMessage());
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static Task task(String url, int attempt) {
        return Task.received(DownloadTask.NAME, Map.of(DownloadTask.URL, url), "job-" + attempt, attempt);
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String md5Hex(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
