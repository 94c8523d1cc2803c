package io.tasque.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Serves the pages (HTML, CSS, JavaScript, the icon) from this jar's {@code io/tasque/dashboard/static/}. Only the
 * files listed here are served, so no path can reach anything else on the class path.
 */
final class StaticPages implements HttpHandler {

    private static final String ROOT = "static/";

    /** Served path → file and content type. */
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
            "/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
            "/app.css", new String[] {"app.css", "text/css; charset=utf-8"},
            "/favicon.svg", new String[] {"favicon.svg", "image/svg+xml"});

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                Responses.error(ex, 405, "method " + ex.getRequestMethod() + " not allowed for pages");
                return;
            }
            String[] file = FILES.get(ex.getRequestURI().getPath());
            if (file == null) {
                Responses.error(ex, 404, "no page " + ex.getRequestURI().getPath());
                return;
            }
            try (InputStream in = StaticPages.class.getResourceAsStream(ROOT + file[0])) {
                if (in == null) {
                    Responses.error(ex, 500, "page " + file[0] + " missing from the jar");
                    return;
                }
                Responses.send(ex, 200, file[1], in.readAllBytes());
            }
        }
    }
}
