package io.tasque.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes the dashboard's answers, each with the security headers every response carries. */
final class Responses {

    static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {
    }

    /**
     * Headers on every response: scripts, styles and images from the dashboard itself only (no inline script, so
     * a payload that slipped into the page could not run), no MIME sniffing, no framing, no referrer, no caching.
     */
    static void securityHeaders(HttpExchange ex) {
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("X-Frame-Options", "DENY");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
    }

    static void json(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            status = 500;
            bytes = ("{\"error\":\"answer cannot be written as JSON\"}").getBytes(StandardCharsets.UTF_8);
        }
        send(ex, status, "application/json; charset=utf-8", bytes);
    }

    static void error(HttpExchange ex, int status, String message) throws IOException {
        json(ex, status, Map.of("error", message, "status", status));
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        securityHeaders(ex);
        ex.getResponseHeaders().set("Content-Type", contentType);
        boolean noBody = body.length == 0 || "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, noBody ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            if (!noBody) {
                out.write(body);
            }
        }
    }
}
