package io.tasque.bench;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;

/**
 * Reads what the benchmark needs from Redis over one connection of its own: the server version and time,
 * the per-command call counters of {@code INFO commandstats}, {@code used_memory}, the addresses of the
 * connected clients, and the stored size of a hash field.
 */
final class RedisStats implements AutoCloseable {

    private final Jedis jedis;

    RedisStats(Jedis jedis) {
        this.jedis = jedis;
    }

    /** {@code redis_version} from {@code INFO server}, or "?". */
    String version() {
        String v = field(jedis.info("server"), "redis_version");
        return v == null ? "?" : v;
    }

    /** {@code used_memory} in bytes from {@code INFO memory}. */
    long usedMemory() {
        String v = field(jedis.info("memory"), "used_memory");
        if (v == null) {
            throw new IllegalStateException("INFO memory has no used_memory line");
        }
        return Long.parseLong(v);
    }

    /** Calls per command since the last stats reset, from the {@code cmdstat_*} lines of INFO commandstats. */
    CommandCounts commandCounts() {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : jedis.info("commandstats").split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            int colon = line.indexOf(':');
            int start = line.indexOf("calls=", colon);
            if (colon < 0 || start < 0) {
                continue;
            }
            start += "calls=".length();
            int end = line.indexOf(',', start);
            calls.put(line.substring("cmdstat_".length(), colon),
                    Long.parseLong(line.substring(start, end < 0 ? line.length() : end)));
        }
        return new CommandCounts(calls);
    }

    /** The server clock ({@code TIME}) in microseconds since the epoch. */
    long serverMicros() {
        List<String> t = jedis.time();
        return Long.parseLong(t.get(0)) * 1_000_000L + Long.parseLong(t.get(1));
    }

    /** The {@code addr} of every connected client ({@code CLIENT LIST}), this connection's included. */
    Set<String> clientAddresses() {
        Set<String> addresses = new HashSet<>();
        for (String line : jedis.clientList().split("\r?\n")) {
            String addr = attribute(line, "addr");
            if (addr != null) {
                addresses.add(addr);
            }
        }
        return addresses;
    }

    /** The value of {@code key=value} in one CLIENT LIST / CLIENT INFO line, or null. */
    static String attribute(String clientLine, String key) {
        String prefix = key + "=";
        for (String token : clientLine.trim().split(" ")) {
            if (token.startsWith(prefix)) {
                return token.substring(prefix.length());
            }
        }
        return null;
    }

    /** The length in bytes of the value stored in hash {@code key} under {@code field}, or -1 if absent. */
    long hashValueBytes(String key, String field) {
        byte[] v = jedis.hget(key.getBytes(StandardCharsets.UTF_8), field.getBytes(StandardCharsets.UTF_8));
        return v == null ? -1 : v.length;
    }

    @Override
    public void close() {
        jedis.close();
    }

    private static String field(String info, String name) {
        String prefix = name + ":";
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        return null;
    }

    /** A snapshot of per-command call counters. */
    record CommandCounts(Map<String, Long> calls) {

        long total() {
            return calls.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Calls per command made after {@code earlier}, only commands that were called. */
        Map<String, Long> since(CommandCounts earlier) {
            Map<String, Long> delta = new TreeMap<>();
            calls.forEach((cmd, n) -> {
                long d = n - earlier.calls.getOrDefault(cmd, 0L);
                if (d != 0) {
                    delta.put(cmd, d);
                }
            });
            return delta;
        }
    }
}
