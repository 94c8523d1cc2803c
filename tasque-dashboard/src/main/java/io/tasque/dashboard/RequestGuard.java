package io.tasque.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Decides whether an API request may go on. Every API call needs the dashboard's token in {@code X-Tasque-Token}
 * (compared in constant time), which a page on another site never has: reads cannot be lifted by a rebound DNS
 * name, and actions cannot be forged. An action must also be a POST, and its {@code Origin} and {@code Referer},
 * when present, must name the host the request was sent to. Answers null when the request may go on, else the
 * reason to refuse it with 403.
 */
final class RequestGuard {

    /** The header a page sends the token in. */
    static final String TOKEN_HEADER = "X-Tasque-Token";

    private final byte[] token;

    RequestGuard(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** Null if a read ({@code GET}) may go on, else why not. */
    String refuseRead(HttpExchange ex) {
        if (!"GET".equals(ex.getRequestMethod())) {
            return "method " + ex.getRequestMethod() + " not allowed here; reads are GET";
        }
        return refuseToken(ex);
    }

    /** Null if an action may go on, else why not. */
    String refuseAction(HttpExchange ex) {
        if (!"POST".equals(ex.getRequestMethod())) {
            return "actions must be POST, was " + ex.getRequestMethod();
        }
        String bad = refuseToken(ex);
        if (bad != null) {
            return bad;
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        for (String header : new String[] {"Origin", "Referer"}) {
            String value = ex.getRequestHeaders().getFirst(header);
            if (value != null && !sameHost(value, host)) {
                return header + " '" + value + "' is not this dashboard (" + host + "); actions come from its own pages only";
            }
        }
        return null;
    }

    private String refuseToken(HttpExchange ex) {
        String sent = ex.getRequestHeaders().getFirst(TOKEN_HEADER);
        if (sent == null || sent.isEmpty()) {
            return "missing " + TOKEN_HEADER + " header; log in with the dashboard's token";
        }
        if (!MessageDigest.isEqual(token, sent.getBytes(StandardCharsets.UTF_8))) {
            return "wrong token in " + TOKEN_HEADER;
        }
        return null;
    }

    /** True if {@code url}'s host and port are {@code host} (the Host header: {@code name[:port]}). */
    static boolean sameHost(String url, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI u = new URI(url);
            if (u.getHost() == null || !"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme())) {
                return false;
            }
            String authority = u.getPort() == -1 ? u.getHost() : u.getHost() + ":" + u.getPort();
            return authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
