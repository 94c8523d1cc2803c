package io.tasque.broker.disque;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reads the values Jedis returns for Disque replies: bulk and status strings as byte[], integers as Long, arrays as List. */
final class Replies {

    private Replies() {
    }

    static String str(Object reply) {
        if (reply == null) {
            return null;
        }
        if (reply instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return reply.toString();
    }

    static long num(Object reply) {
        if (reply instanceof Long l) {
            return l;
        }
        if (reply instanceof byte[] b) {
            return Long.parseLong(new String(b, StandardCharsets.US_ASCII).trim());
        }
        throw new IllegalStateException("Disque replied " + describe(reply) + " where a number was expected");
    }

    static List<?> list(Object reply) {
        if (reply == null) {
            return List.of();
        }
        if (reply instanceof List<?> l) {
            return l;
        }
        throw new IllegalStateException("Disque replied " + describe(reply) + " where an array was expected");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(Object reply) {
        return reply == null ? "nil" : reply.getClass().getSimpleName() + " " + str(reply);
    }
}
