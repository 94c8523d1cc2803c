package io.tasque.samples.downloader;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A local HTTP server on 127.0.0.1 and a free port that serves three small generated files under
 * {@code /files/}, so the downloader demo needs no network. Unknown paths get 404.
 */
final class DemoFileServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final String PREFIX = "/files/";

    private final HttpServer server;
    private final Map<String, byte[]> files;

    private DemoFileServer(HttpServer server, Map<String, byte[]> files) {
        this.server = server;
        this.files = files;
    }

    /** Starts serving {@code /files/a.txt}, {@code /files/b.txt} and {@code /files/c.json}. */
    static DemoFileServer start() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("a.txt", lines("a", 20));
        files.put("b.txt", lines("b", 40));
        files.put("c.json", json());
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(HOST, 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the demo file server on 127.0.0.1: " + e.getMessage(), e);
        }
        DemoFileServer demo = new DemoFileServer(server, Collections.unmodifiableMap(files));
        server.createContext(PREFIX, demo::serve);
        server.start();
        return demo;
    }

    /** The file names, in serving order. */
    List<String> names() {
        return List.copyOf(files.keySet());
    }

    /** The URL of one file, e.g. {@code http://127.0.0.1:40123/files/a.txt}. */
    String url(String name) {
        return "http://" + HOST + ":" + server.getAddress().getPort() + PREFIX + name;
    }

    /** The bytes served for one file. */
    byte[] content(String name) {
        return files.get(name).clone();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = files.get(exchange.getRequestURI().getPath().substring(PREFIX.length()));
            if (body == null || !exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(body == null ? 404 : 405, -1);
                return;
            }
            String type = exchange.getRequestURI().getPath().endsWith(".json") ? "application/json" : "text/plain";
            exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] lines(String file, int count) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(i -> "file " + file + ", line " + i + " of " + count + "\n")
                .collect(Collectors.joining())
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json() {
        String squares = IntStream.rangeClosed(1, 10).mapToObj(i -> String.valueOf(i * i))
                .collect(Collectors.joining(", "));
        return ("{\"file\": \"c\", \"squares\": [" + squares + "]}\n").getBytes(StandardCharsets.UTF_8);
    }
}
