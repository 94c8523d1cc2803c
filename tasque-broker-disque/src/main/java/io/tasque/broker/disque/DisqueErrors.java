package io.tasque.broker.disque;

import redis.clients.jedis.exceptions.JedisException;

/** Turns Disque's error replies and Jedis's failures into messages that say what happened and what to do. */
final class DisqueErrors {

    private DisqueErrors() {
    }

    /** The failure with its causes, plus a hint for the Disque errors that have a known remedy. */
    static String explain(JedisException e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable c = e.getCause();
        while (c != null && c != c.getCause()) {
            b.append(": ").append(c.getMessage());
            c = c.getCause();
        }
        String hint = hint(String.valueOf(e.getMessage()));
        return hint == null ? b.toString() : b + " (" + hint + ")";
    }

    /** True for {@code -LEAVING}: the node is leaving the cluster and the client should use another one. */
    static boolean leaving(JedisException e) {
        return String.valueOf(e.getMessage()).startsWith("LEAVING");
    }

    private static String hint(String message) {
        if (message.startsWith("NOREPL")) {
            return "fewer nodes are reachable than the replication asks for: bring nodes back, CLUSTER FORGET the dead"
                    + " ones, or lower DisqueOptions.replicate";
        }
        if (message.startsWith("MAXLEN")) {
            return "the queue is at DisqueOptions.maxLen on this node: let workers catch up or raise the limit";
        }
        if (message.startsWith("PAUSED")) {
            return "the queue is paused on this node: run PAUSE <queue> none there";
        }
        if (message.startsWith("LEAVING")) {
            return "the node is leaving the cluster: the broker switches to another node";
        }
        if (message.startsWith("NOAUTH") || message.contains("invalid password")) {
            return "give the password in the URI: disque://:password@host:7711";
        }
        return null;
    }
}
