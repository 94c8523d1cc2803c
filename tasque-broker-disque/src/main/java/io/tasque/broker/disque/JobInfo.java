package io.tasque.broker.disque;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One job as a Disque node describes it in SHOW and in {@code JSCAN … REPLY all}: a flat key/value array whose
 * order this does not rely on. {@code state} is one of {@code wait-repl}, {@code active} (delivered, or waiting
 * for its DELAY), {@code queued}, {@code acked}; {@code ctimeMillis} is when the job was created.
 */
record JobInfo(String id, String queue, String state, long ttlSeconds, long ctimeMillis, long delaySeconds,
               long retrySeconds, long nacks, long additionalDeliveries, byte[] body) {

    /** Parses a SHOW reply; null when the node does not know the job. */
    static JobInfo parse(Object reply) {
        if (reply == null) {
            return null;
        }
        List<?> flat = Replies.list(reply);
        Map<String, Object> f = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            f.put(Replies.str(flat.get(i)), flat.get(i + 1));
        }
        return new JobInfo(Replies.str(f.get("id")), Replies.str(f.get("queue")), Replies.str(f.get("state")),
                number(f, "ttl"), number(f, "ctime") / 1_000_000L, number(f, "delay"), number(f, "retry"),
                number(f, "nacks"), number(f, "additional-deliveries"),
                f.get("body") instanceof byte[] b ? b : null);
    }

    boolean queued() {
        return "queued".equals(state);
    }

    boolean active() {
        return "active".equals(state);
    }

    boolean acked() {
        return "acked".equals(state);
    }

    /** True while the job waits for its first DELAY to pass at {@code nowMillis} (it was never queued yet). */
    boolean delayedAt(long nowMillis) {
        return !queued() && delaySeconds > 0 && ctimeMillis + delaySeconds * 1000 > nowMillis;
    }

    private static long number(Map<String, Object> f, String key) {
        Object v = f.get(key);
        return v == null ? 0 : Replies.num(v);
    }
}
