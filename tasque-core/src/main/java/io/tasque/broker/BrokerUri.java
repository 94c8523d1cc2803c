package io.tasque.broker;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed broker address: {@code redis://[user:password@]host[:port][/db]}, {@code rediss://…} (TLS) or
 * {@code disque://host[:port][,host[:port]…]}. Parsing checks every part and names the bad one; the
 * password never appears in {@link #toString()} or in errors.
 */
public final class BrokerUri {

    public static final int DEFAULT_REDIS_PORT = 6379;
    public static final int DEFAULT_DISQUE_PORT = 7711;

    /** One host and port. */
    public record Node(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private final String scheme;
    private final List<Node> nodes;
    private final String user;
    private final String password;
    private final int database;

    private BrokerUri(String scheme, List<Node> nodes, String user, String password, int database) {
        this.scheme = scheme;
        this.nodes = List.copyOf(nodes);
        this.user = user;
        this.password = password;
        this.database = database;
    }

    /**
     * Parses a broker URI.
     *
     * @throws IllegalArgumentException naming the value (without its password) and what is wrong with it
     */
    public static BrokerUri parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("broker URI must not be empty; use redis://host:6379");
        }
        String shown = redact(uri.trim());
        int sep = uri.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("broker URI '" + shown + "' has no scheme; use redis://host:6379, rediss://… or disque://…");
        }
        String scheme = uri.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss") && !scheme.equals("disque")) {
            throw new IllegalArgumentException("broker URI '" + shown + "' has unknown scheme '" + scheme
                    + "'; use redis://, rediss:// or disque://");
        }
        String rest = uri.substring(sep + 3);
        int q = rest.indexOf('?');
        if (q >= 0) {
            throw new IllegalArgumentException("broker URI '" + shown + "' has query parameters, which are not supported");
        }
        String path = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            if (colon >= 0) {
                user = decode(info.substring(0, colon));
                password = decode(info.substring(colon + 1));
            } else {
                password = decode(info);
            }
            if (user != null && user.isEmpty()) {
                user = null;
            }
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("broker URI '" + shown + "' has no host");
        }
        int defaultPort = scheme.equals("disque") ? DEFAULT_DISQUE_PORT : DEFAULT_REDIS_PORT;
        List<Node> nodes = new ArrayList<>();
        for (String part : rest.split(",", -1)) {
            nodes.add(node(part, defaultPort, shown));
        }
        if (nodes.size() > 1 && !scheme.equals("disque")) {
            throw new IllegalArgumentException("broker URI '" + shown + "' lists several hosts; only disque:// takes a list");
        }
        int db = 0;
        if (!path.isEmpty()) {
            if (scheme.equals("disque")) {
                throw new IllegalArgumentException("broker URI '" + shown + "' has a path; disque:// has no databases");
            }
            try {
                db = Integer.parseInt(path);
            } catch (NumberFormatException e) {
                db = -1;
            }
            if (db < 0) {
                throw new IllegalArgumentException("broker URI '" + shown + "' has database '" + path
                        + "'; use a number >= 0, as in redis://host:6379/0");
            }
        }
        return new BrokerUri(scheme, nodes, user, password, db);
    }

    private static Node node(String part, int defaultPort, String shown) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("broker URI '" + shown + "' has an empty host");
        }
        String host;
        String port = null;
        if (part.startsWith("[")) {
            int close = part.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("broker URI '" + shown + "' has an unclosed IPv6 host '" + part + "'");
            }
            host = part.substring(1, close);
            String after = part.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("broker URI '" + shown + "' has junk after the host: '" + after + "'");
                }
                port = after.substring(1);
            }
        } else {
            int colon = part.lastIndexOf(':');
            host = colon >= 0 ? part.substring(0, colon) : part;
            port = colon >= 0 ? part.substring(colon + 1) : null;
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("broker URI '" + shown + "' has an empty host");
        }
        for (char c : host.toCharArray()) {
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("broker URI '" + shown + "' has whitespace or a control character in host '" + host + "'");
            }
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("broker URI '" + shown + "' has port '" + port + "'; use 1-65535");
            }
        }
        return new Node(host, p);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Replaces the password in a URI string with ***; leaves everything else as it is. */
    public static String redact(String uri) {
        int sep = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (sep < 0 || at < sep) {
            return uri;
        }
        String info = uri.substring(sep + 3, at);
        int colon = info.indexOf(':');
        String masked = colon >= 0 ? info.substring(0, colon) + ":***" : "***";
        return uri.substring(0, sep + 3) + masked + uri.substring(at);
    }

    public String scheme() {
        return scheme;
    }

    /** True for {@code rediss://}. */
    public boolean tls() {
        return scheme.equals("rediss");
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** The first (for Redis: the only) node. */
    public Node node() {
        return nodes.get(0);
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public int database() {
        return database;
    }

    /** The URI without credentials, e.g. {@code redis://127.0.0.1:6379/0}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(scheme).append("://");
        for (int i = 0; i < nodes.size(); i++) {
            b.append(i == 0 ? "" : ",").append(nodes.get(i));
        }
        if (!scheme.equals("disque")) {
            b.append('/').append(database);
        }
        return b.toString();
    }
}
