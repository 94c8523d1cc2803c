package io.tasque.broker;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parsed broker address: {@code redis://[user:password@]host[:port][/db]},
 * {@code rediss://…[?cacert=/ca.pem | ?truststore=/t.p12&truststorePassword=…]} (TLS) or
 * {@code disque://host[:port][,host[:port]…]} or {@code memory://name} (an in-memory store of this JVM, for tests). Parsing checks every part and names the bad one; the
 * password never appears in {@link #toString()} or in errors. The last '@' ends the credentials; a '/', '?'
 * or '#' in them must be percent-encoded.
 */
public final class BrokerUri {

    public static final int DEFAULT_REDIS_PORT = 6379;
    public static final int DEFAULT_DISQUE_PORT = 7711;

    /** {@code rediss://} query parameter: a PEM file of the CA certificates to trust instead of the JDK's. */
    public static final String CACERT = "cacert";
    /** {@code rediss://} query parameter: a key store (PKCS#12 or JKS) of the certificates to trust. */
    public static final String TRUSTSTORE = "truststore";
    /** {@code rediss://} query parameter: the password of {@link #TRUSTSTORE}; never printed. */
    public static final String TRUSTSTORE_PASSWORD = "truststorePassword";

    private static final List<String> TLS_PARAMETERS = List.of(CACERT, TRUSTSTORE, TRUSTSTORE_PASSWORD);
    private static final Pattern MEMORY_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i)([?&][^=&#]*password[^=&#]*)=[^&#]*");

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
    private final Map<String, String> tls;
    private final String name;

    private BrokerUri(String scheme, List<Node> nodes, String user, String password, int database, Map<String, String> tls) {
        this(scheme, nodes, user, password, database, tls, null);
    }

    private BrokerUri(String scheme, List<Node> nodes, String user, String password, int database, Map<String, String> tls, String name) {
        this.scheme = scheme;
        this.nodes = List.copyOf(nodes);
        this.user = user;
        this.password = password;
        this.database = database;
        this.tls = tls;
        this.name = name;
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
        if (!scheme.equals("redis") && !scheme.equals("rediss") && !scheme.equals("disque") && !scheme.equals("memory")) {
            throw new IllegalArgumentException("broker URI '" + shown + "' has unknown scheme '" + scheme
                    + "'; use redis://, rediss://, disque:// or memory://");
        }
        if (scheme.equals("memory")) {
            return memory(uri.substring(sep + 3), shown);
        }
        String rest = uri.substring(sep + 3);
        String user = null;
        String password = null;
        // the last '@' ends the credentials, so nothing of a password (which may hold '@', or an unencoded '/',
        // '?' or '#' that would otherwise be read as the path or query) is ever taken for the host, port or db
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            if (info.indexOf('/') >= 0 || info.indexOf('?') >= 0 || info.indexOf('#') >= 0) {
                throw new IllegalArgumentException("broker URI '" + shown + "' has a '/', '?' or '#' in its user name or"
                        + " password; percent-encode them there (/ as %2F, ? as %3F, # as %23, @ as %40, : in the user"
                        + " name as %3A). An '@' after the credentials, as in a query value, must be written %40 too");
            }
            int colon = info.indexOf(':');
            if (colon >= 0) {
                user = decodeSecret(info.substring(0, colon), shown);
                password = decodeSecret(info.substring(colon + 1), shown);
            } else {
                password = decodeSecret(info, shown);
            }
            if (user != null && user.isEmpty()) {
                user = null;
            }
        }
        if (rest.indexOf('#') >= 0) {
            throw new IllegalArgumentException("broker URI '" + shown + "' has a '#', which broker URIs do not take;"
                    + " percent-encode it as %23");
        }
        Map<String, String> query = Map.of();
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = query(rest.substring(q + 1), scheme, shown);
            rest = rest.substring(0, q);
        }
        String path = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
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
        return new BrokerUri(scheme, nodes, user, password, db, query);
    }

    /** A {@code memory://name} URI: the name alone, no host, port, credentials, path or query. */
    private static BrokerUri memory(String name, String shown) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("broker URI '" + shown + "' has no store name; use memory://<name>, as in memory://test");
        }
        if (!MEMORY_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("broker URI '" + shown + "' has store name '" + shown.substring(shown.indexOf("://") + 3)
                    + "'; memory:// takes a name of letters, digits, '.', '_' and '-', as in memory://test");
        }
        return new BrokerUri("memory", List.of(), null, null, 0, Map.of(), name);
    }

    /** The TLS query parameters of a {@code rediss://} URI, checked and decoded. */
    private static Map<String, String> query(String query, String scheme, String shown) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq >= 0 ? pair.substring(0, eq) : pair;
            String value = eq >= 0 ? pair.substring(eq + 1) : "";
            if (!TLS_PARAMETERS.contains(name)) {
                throw new IllegalArgumentException("broker URI '" + shown + "' has unknown query parameter '"
                        + name + "'; rediss:// takes "
                        + String.join(", ", TLS_PARAMETERS));
            }
            if (!scheme.equals("rediss")) {
                throw new IllegalArgumentException("broker URI '" + shown + "' has query parameter '" + name
                        + "', which configures TLS; use rediss:// (" + scheme + ":// takes no query parameters)");
            }
            if (params.containsKey(name)) {
                throw new IllegalArgumentException("broker URI '" + shown + "' has query parameter '" + name + "' twice");
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException("broker URI '" + shown + "': query parameter '" + name + "' has no value");
            }
            params.put(name, name.equals(TRUSTSTORE_PASSWORD) ? decodeSecret(value, shown) : decode(value, name, shown));
        }
        if (params.containsKey(CACERT) && params.containsKey(TRUSTSTORE)) {
            throw new IllegalArgumentException("broker URI '" + shown + "' has both " + CACERT + " and " + TRUSTSTORE
                    + "; use either a PEM file of CA certificates (cacert) or a key store (truststore)");
        }
        if (params.containsKey(TRUSTSTORE_PASSWORD) && !params.containsKey(TRUSTSTORE)) {
            throw new IllegalArgumentException("broker URI '" + shown + "' has " + TRUSTSTORE_PASSWORD + " without "
                    + TRUSTSTORE + "; add truststore=/path/to/truststore.p12");
        }
        return params;
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

    private static String decode(String value, String name, String shown) {
        try {
            return decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("broker URI '" + shown + "': query parameter '" + name
                    + "' has a broken percent-encoding; write % as %25", e);
        }
    }

    /** Decodes a user name or password; a bad escape is reported without any of it (URLDecoder's message quotes it). */
    private static String decodeSecret(String s, String shown) {
        try {
            return decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("broker URI '" + shown + "' has a broken percent-encoding in its user"
                    + " name or password; percent-encode a literal % as %25");
        }
    }

    /**
     * Hides the credentials of a URI string (user:*** or ***, up to its last '@') and the value of every query
     * parameter whose name mentions a password; leaves everything else as it is. For strings that may not
     * parse; a parsed {@link BrokerUri} prints without credentials at all.
     */
    public static String redact(String uri) {
        String out = uri;
        int sep = out.indexOf("://");
        int at = out.lastIndexOf('@');
        if (sep >= 0 && at > sep) {
            String info = out.substring(sep + 3, at);
            int colon = info.indexOf(':');
            String masked = colon >= 0 ? info.substring(0, colon) + ":***" : "***";
            out = out.substring(0, sep + 3) + masked + out.substring(at);
        }
        return SECRET_PARAMETER.matcher(out).replaceAll("$1=***");
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

    /** The store name of a {@code memory://} URI, or null. */
    public String name() {
        return name;
    }

    /** The first (for Redis: the only) node; none for {@code memory://}. */
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

    /** The {@code cacert} path of a {@code rediss://} URI, or null. */
    public String caCert() {
        return tls.get(CACERT);
    }

    /** The {@code truststore} path of a {@code rediss://} URI, or null. */
    public String trustStore() {
        return tls.get(TRUSTSTORE);
    }

    /** The {@code truststorePassword} of a {@code rediss://} URI, or null. */
    public String trustStorePassword() {
        return tls.get(TRUSTSTORE_PASSWORD);
    }

    /** The URI without credentials, e.g. {@code redis://127.0.0.1:6379/0}. */
    @Override
    public String toString() {
        if (name != null) {
            return scheme + "://" + name;
        }
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
