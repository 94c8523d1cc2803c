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
 * A parsed broker address: {@code scheme://[user:password@]host[:port][,host[:port]…][/path][?name=value&…]}, or
 * {@code scheme://name} for a broker that takes a name instead of hosts. What a scheme accepts (its default port,
 * one host or several, a database number, which query parameters) is its {@link BrokerProvider}'s {@link Shape};
 * parsing checks every part against it and names the bad one. The password never appears in {@link #toString()}
 * or in errors. The last '@' ends the credentials; a '/', '?' or '#' in them must be percent-encoded.
 */
public final class BrokerUri {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i)([?&][^=&#]*password[^=&#]*)=[^&#]*");

    /** One host and port. */
    public record Node(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** What the addresses of one scheme look like. */
    public enum Hosts {
        /** exactly one host */
        ONE,
        /** a comma-separated list of hosts */
        MANY,
        /** no host: a name of letters, digits, '.', '_' and '-' (as in {@code memory://test}) */
        NAME
    }

    /** What the path of a scheme's URIs holds. */
    public enum Path {
        /** nothing: a path is refused */
        NONE,
        /** a database number, 0 when absent (shown as {@code /0}) */
        DATABASE,
        /** a name, required, then optionally a database number: {@code /<name>[/db]} (a Sentinel's master) */
        NAME_THEN_DATABASE
    }

    /**
     * The rules of one scheme's URIs.
     *
     * @param defaultPort     the port a host without one gets
     * @param hosts           one host, several, or a name
     * @param path            what the path holds
     * @param queryParameters the query parameters the scheme takes; any other is refused naming the allowed ones
     * @param example         a URI shown in errors, e.g. {@code redis://host:6379}
     */
    public record Shape(int defaultPort, Hosts hosts, Path path, List<String> queryParameters, String example) {
        public Shape {
            queryParameters = List.copyOf(queryParameters);
        }
    }

    private final String scheme;
    private final Shape shape;
    private final List<Node> nodes;
    private final String user;
    private final String password;
    private final int database;
    private final String pathName;
    private final Map<String, String> query;
    private final String name;

    private BrokerUri(String scheme, Shape shape, List<Node> nodes, String user, String password, String pathName,
                      int database, Map<String, String> query, String name) {
        this.scheme = scheme;
        this.shape = shape;
        this.nodes = List.copyOf(nodes);
        this.user = user;
        this.password = password;
        this.database = database;
        this.pathName = pathName;
        this.query = query;
        this.name = name;
    }

    /**
     * Parses a broker URI of a scheme some {@link BrokerProvider} on the class path opens.
     *
     * @throws IllegalArgumentException naming the value (without its password) and what is wrong with it, or
     *                                  the module to add when no broker on the class path takes the scheme
     */
    public static BrokerUri parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("broker URI must not be empty; use redis://host:6379");
        }
        String shown = redact(uri.trim());
        int sep = uri.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("broker URI '" + shown + "' has no scheme; use " + Brokers.examples());
        }
        String scheme = uri.substring(0, sep).toLowerCase(Locale.ROOT);
        BrokerProvider provider = Brokers.provider(scheme, shown);
        BrokerUri parsed = parse(uri.substring(sep + 3), scheme, provider.shape(scheme), shown);
        provider.check(parsed);
        return parsed;
    }

    private static BrokerUri parse(String rest, String scheme, Shape shape, String shown) {
        if (shape.hosts() == Hosts.NAME) {
            return named(rest, scheme, shape, shown);
        }
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
            query = query(rest.substring(q + 1), scheme, shape, shown);
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
        List<Node> nodes = new ArrayList<>();
        for (String part : rest.split(",", -1)) {
            nodes.add(node(part, shape.defaultPort(), shown));
        }
        if (nodes.size() > 1 && shape.hosts() != Hosts.MANY) {
            throw new IllegalArgumentException("broker URI '" + shown + "' lists several hosts; " + scheme
                    + ":// takes one, as in " + shape.example());
        }
        String pathName = null;
        if (shape.path() == Path.NAME_THEN_DATABASE) {
            int cut = path.indexOf('/');
            pathName = cut < 0 ? path : path.substring(0, cut);
            path = cut < 0 ? "" : path.substring(cut + 1);
            if (pathName.isEmpty() || !NAME.matcher(pathName).matches()) {
                throw new IllegalArgumentException("broker URI '" + shown + "' has " + (pathName.isEmpty() ? "no name"
                        : "name '" + pathName + "'") + " where " + scheme + ":// needs one of letters, digits, '.', '_'"
                        + " and '-', as in " + shape.example());
            }
        }
        int db = 0;
        if (!path.isEmpty()) {
            if (shape.path() == Path.NONE) {
                throw new IllegalArgumentException("broker URI '" + shown + "' has a path; " + scheme + ":// has no databases");
            }
            try {
                db = Integer.parseInt(path);
            } catch (NumberFormatException e) {
                db = -1;
            }
            if (db < 0) {
                throw new IllegalArgumentException("broker URI '" + shown + "' has database '" + path
                        + "'; use a number >= 0, as in " + shape.example() + "/0");
            }
        }
        return new BrokerUri(scheme, shape, nodes, user, password, pathName, db, query, null);
    }

    /** A {@code scheme://name} URI: the name alone, no host, port, credentials, path or query. */
    private static BrokerUri named(String name, String scheme, Shape shape, String shown) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("broker URI '" + shown + "' has no store name; use " + shape.example());
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("broker URI '" + shown + "' has store name '" + shown.substring(shown.indexOf("://") + 3)
                    + "'; " + scheme + ":// takes a name of letters, digits, '.', '_' and '-', as in " + shape.example());
        }
        return new BrokerUri(scheme, shape, List.of(), null, null, null, 0, Map.of(), name);
    }

    /** The query parameters, checked against the scheme's list and decoded. */
    private static Map<String, String> query(String query, String scheme, Shape shape, String shown) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq >= 0 ? pair.substring(0, eq) : pair;
            String value = eq >= 0 ? pair.substring(eq + 1) : "";
            if (!shape.queryParameters().contains(name)) {
                throw new IllegalArgumentException("broker URI '" + shown + "' has unknown query parameter '" + name
                        + "'; " + scheme + ":// takes " + (shape.queryParameters().isEmpty()
                        ? "no query parameters" : String.join(", ", shape.queryParameters())));
            }
            if (params.containsKey(name)) {
                throw new IllegalArgumentException("broker URI '" + shown + "' has query parameter '" + name + "' twice");
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException("broker URI '" + shown + "': query parameter '" + name + "' has no value");
            }
            boolean secret = name.toLowerCase(Locale.ROOT).contains("password");
            params.put(name, secret ? decodeSecret(value, shown) : decode(value, name, shown));
        }
        return Map.copyOf(params);
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

    /** The scheme, e.g. {@code redis}. */
    public String scheme() {
        return scheme;
    }

    /** The rules of this URI's scheme. */
    public Shape shape() {
        return shape;
    }

    /** The hosts and ports, in the order given. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The name of a {@code scheme://name} URI (as {@code memory://test}), or null. */
    public String name() {
        return name;
    }

    /** The first (for a one-host scheme: the only) node; none for a named URI. */
    public Node node() {
        return nodes.get(0);
    }

    /** The user, or null when none was given. */
    public String user() {
        return user;
    }

    /** The password, or null when none was given. */
    public String password() {
        return password;
    }

    /** The Redis database number (0 when none was given). */
    public int database() {
        return database;
    }

    /** The name in the path of a {@link Path#NAME_THEN_DATABASE} URI (a Sentinel's master), or null. */
    public String pathName() {
        return pathName;
    }

    /** A query parameter's decoded value, or null when the URI does not set it. */
    public String query(String parameter) {
        return query.get(parameter);
    }

    /** The URI without credentials or query, e.g. {@code redis://127.0.0.1:6379/0}. */
    @Override
    public String toString() {
        if (name != null) {
            return scheme + "://" + name;
        }
        StringBuilder b = new StringBuilder(scheme).append("://");
        for (int i = 0; i < nodes.size(); i++) {
            b.append(i == 0 ? "" : ",").append(nodes.get(i));
        }
        if (pathName != null) {
            b.append('/').append(pathName);
        }
        if (shape.path() != Path.NONE) {
            b.append('/').append(database);
        }
        return b.toString();
    }
}
