package io.tasque.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads tasque's own Redis keys of the scenarios' queue: where one job is (for failure messages), and how
 * big every structure is (to check a fault left no stray record behind).
 */
final class TasqueKeys {

    static final String PREFIX = "tasque:{" + ChildSettings.TASK + "}:";
    static final String JOBS = PREFIX + "jobs";
    static final String READY = PREFIX + "ready";
    static final String DELAYED = PREFIX + "delayed";
    static final String LEASED = PREFIX + "leased";
    static final String ATTEMPTS = PREFIX + "attempts";
    static final String EXPIRED = PREFIX + "expired";
    static final String ERRORS = PREFIX + "errors";
    static final String DEAD = PREFIX + "dead";
    static final String WAKE = PREFIX + "wake";

    private TasqueKeys() {
    }

    /** E.g. {@code [leased, payload, runs over=2, expired=1]} or {@code [nowhere, no payload]}. */
    static String describe(Ledger ledger, String id) {
        return ledger.read(j -> {
            List<String> where = new ArrayList<>();
            if (j.lpos(READY, id) != null) {
                where.add("ready");
            }
            if (j.zscore(DELAYED, id) != null) {
                where.add("delayed");
            }
            if (j.zscore(LEASED, id) != null) {
                where.add("leased");
            }
            if (j.zscore(DEAD, id) != null) {
                where.add("dead");
            }
            if (where.isEmpty()) {
                where.add("nowhere");
            }
            where.add(j.hexists(JOBS, id) ? "payload" : "no payload");
            where.add("runs over=" + j.hget(ATTEMPTS, id));
            where.add("expired=" + j.hget(EXPIRED, id));
            return where.toString();
        });
    }

    /** Entries in every per-queue structure, e.g. {@code {jobs=0, ready=0, …}}. */
    static Map<String, Long> sizes(Ledger ledger) {
        return ledger.read(j -> {
            Map<String, Long> out = new LinkedHashMap<>();
            out.put("jobs", j.hlen(JOBS));
            out.put("ready", j.llen(READY));
            out.put("delayed", j.zcard(DELAYED));
            out.put("leased", j.zcount(LEASED, "-inf", "(+inf")); // not the +inf keeper member (reserve.lua)
            out.put("attempts", j.hlen(ATTEMPTS));
            out.put("expired", j.hlen(EXPIRED));
            out.put("errors", j.hlen(ERRORS));
            out.put("dead", j.zcard(DEAD));
            return out;
        });
    }

    /** What {@link #sizes} shows once every job was acked: nothing at all. */
    static Map<String, Long> empty() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String k : List.of("jobs", "ready", "delayed", "leased", "attempts", "expired", "errors", "dead")) {
            out.put(k, 0L);
        }
        return out;
    }
}
