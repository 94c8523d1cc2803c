package io.tasque.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tasque.broker.BrokerException;
import io.tasque.client.DeadLetterSweep;
import io.tasque.client.DeadRetry;
import io.tasque.client.DeadTask;
import io.tasque.client.JobInfo;
import io.tasque.client.JobState;
import io.tasque.client.QueueCounts;
import io.tasque.client.QueueTotals;
import io.tasque.client.ScheduleInfo;
import io.tasque.client.TasqueAdmin;
import io.tasque.client.TasqueClient;
import io.tasque.client.WorkerInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API the pages call, under {@code /api/}: reads (GET) and actions (POST, a JSON body), each checked by
 * the {@link RequestGuard} first. Reads: {@code stats}, {@code jobs}, {@code job}, {@code dead}, {@code workers},
 * {@code schedules}; actions: {@code login}, {@code retry-dead}, {@code retry-dead-all}, {@code delete-dead},
 * {@code delete-dead-all}, {@code cancel}. A bad argument answers 400, a broker that cannot do it 501, a broker
 * error 502, each as {@code {"error": "…"}}.
 */
final class ApiRoutes implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);

    /** Largest action body read: 64 KiB. */
    private static final int MAX_BODY = 64 * 1024;
    /** Most jobs one list answers with. */
    static final int MAX_LIMIT = 1000;

    private final TasqueAdmin admin;
    private final TasqueClient client;
    private final RequestGuard guard;
    private final WorkerList workers;
    /** Every queue name this dashboard has listed, in name order. */
    private final Set<String> seen = new ConcurrentSkipListSet<>();

    ApiRoutes(TasqueAdmin admin, TasqueClient client, RequestGuard guard, WorkerList workers) {
        this.admin = admin;
        this.client = client;
        this.guard = guard;
        this.workers = workers;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String route = ex.getRequestURI().getPath().substring("/api/".length());
            boolean action = ACTIONS.contains(route);
            String refused = action ? guard.refuseAction(ex) : guard.refuseRead(ex);
            if (refused != null) {
                Responses.error(ex, 403, refused);
                return;
            }
            try {
                Object answer = action ? act(route, body(ex)) : read(route, query(ex));
                if (answer == null) {
                    Responses.error(ex, 404, "no API " + ex.getRequestURI().getPath());
                } else {
                    Responses.json(ex, 200, answer);
                }
            } catch (IllegalArgumentException e) {
                Responses.error(ex, 400, e.getMessage());
            } catch (UnsupportedOperationException e) {
                Responses.error(ex, 501, e.getMessage());
            } catch (BrokerException e) {
                Responses.error(ex, 502, e.getMessage());
            } catch (RuntimeException e) {
                log.warn("dashboard API {} failed", ex.getRequestURI().getPath(), e);
                Responses.error(ex, 500, e.toString());
            }
        }
    }

    private static final List<String> ACTIONS = List.of("login", "retry-dead", "retry-dead-all", "delete-dead",
            "delete-dead-all", "cancel");

    private Object read(String route, Map<String, String> q) {
        switch (route) {
            case "stats":
                return stats();
            case "jobs":
                return jobs(q);
            case "job":
                return job(q);
            case "dead":
                return dead(q);
            case "workers":
                return workers();
            case "schedules":
                return schedules();
            default:
                return null;
        }
    }

    private Object act(String route, JsonNode body) {
        String queue = route.equals("login") ? null : text(body, "queue");
        switch (route) {
            case "login":
                return Map.of("ok", true);
            case "retry-dead": {
                DeadRetry r = admin.retryDead(queue, text(body, "id"));
                return Map.of("retried", r.retried() ? 1 : 0, "message", r.toString());
            }
            case "retry-dead-all": {
                long n = new DeadLetterSweep(admin, queue).run(id -> {
                    try {
                        return admin.retryDead(queue, id).retried() ? DeadLetterSweep.Result.DONE : DeadLetterSweep.Result.GONE;
                    } catch (IllegalStateException noPayload) {
                        return DeadLetterSweep.Result.LEFT;   // cannot run again; it stays for "delete"
                    }
                });
                return Map.of("retried", n, "message", n + " dead job(s) of " + queue + " sent back to their queue");
            }
            case "delete-dead": {
                boolean done = admin.deleteDead(queue, text(body, "id"));
                return Map.of("deleted", done ? 1 : 0, "message", done ? "deleted" : "no such dead job");
            }
            case "delete-dead-all": {
                long n = new DeadLetterSweep(admin, queue).run(
                        id -> admin.deleteDead(queue, id) ? DeadLetterSweep.Result.DONE : DeadLetterSweep.Result.GONE);
                return Map.of("deleted", n, "message", n + " dead job(s) of " + queue + " deleted");
            }
            case "cancel": {
                boolean done = client.cancel(queue, text(body, "id"));
                return Map.of("cancelled", done, "message", done ? "cancelled" : "no waiting or running job with that id");
            }
            default:
                return null;
        }
    }

    /**
     * Every queue's counts and run totals: the queues that hold jobs and those live workers serve. A queue that ran
     * empty drops out of the broker's list; one this dashboard has shown keeps its row (at zero, with its totals), so
     * its chart does not break off while its jobs flow.
     */
    private Map<String, Object> stats() {
        seen.addAll(admin.queuesInUse());
        List<Map<String, Object>> queues = new ArrayList<>();
        for (String name : seen) {
            QueueCounts c = admin.stats(name);
            Optional<QueueTotals> totals = admin.totals(name);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("ready", c.ready());
            m.put("delayed", c.delayed());
            m.put("running", c.running());
            m.put("dead", c.dead());
            m.put("completed", totals.map(QueueTotals::completed).orElse(null));
            m.put("failed", totals.map(QueueTotals::failed).orElse(null));
            queues.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", System.currentTimeMillis());
        out.put("queues", queues);
        return out;
    }

    private List<Map<String, Object>> jobs(Map<String, String> q) {
        String state = required(q, "state").toUpperCase(Locale.ROOT);
        JobState s;
        try {
            s = JobState.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("state must be one of " + List.of(JobState.values()) + ", was '" + q.get("state") + "'");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (JobInfo j : admin.jobs(required(q, "queue"), s, limit(q))) {
            out.add(job(j));
        }
        return out;
    }

    private Map<String, Object> job(Map<String, String> q) {
        String queue = required(q, "queue");
        String id = required(q, "id");
        Map<String, Object> out = new LinkedHashMap<>();
        JobInfo j = admin.job(queue, id).orElse(null);
        out.put("found", j != null);
        out.put("job", j == null ? null : job(j));
        return out;
    }

    private static Map<String, Object> job(JobInfo j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("name", j.name());
        m.put("state", j.state().name());
        m.put("attempt", j.attempt());
        m.put("params", j.params());
        m.put("headers", j.headers());
        m.put("lastError", j.lastError());
        m.put("at", millis(j.at()));
        return m;
    }

    private List<Map<String, Object>> dead(Map<String, String> q) {
        int offset = number(q, "offset", 0, 0, Integer.MAX_VALUE);
        List<Map<String, Object>> out = new ArrayList<>();
        for (DeadTask d : admin.deadTasks(required(q, "queue"), offset, limit(q))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("queue", d.queue());
            m.put("attempts", d.attempts());
            m.put("lastError", d.lastError());
            m.put("diedAt", millis(d.diedAt()));
            m.put("params", d.task() == null ? null : d.task().params());
            m.put("headers", d.task() == null ? null : d.task().headers());
            m.put("payload", d.task() == null ? d.payload() : null);
            out.add(m);
        }
        return out;
    }

    private Map<String, Object> workers() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (WorkerList.Row r : workers.rows()) {
            WorkerInfo w = r.worker();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", w.id());
            m.put("host", w.host());
            m.put("pid", w.pid());
            m.put("concurrency", w.concurrency());
            m.put("running", w.running());
            m.put("queues", w.queues());
            m.put("heartbeat", w.heartbeat().toEpochMilli());
            m.put("started", w.started().toEpochMilli());
            m.put("gone", r.gone());
            rows.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", System.currentTimeMillis());
        out.put("goneAfterMs", WorkerInfo.GONE_AFTER.toMillis());
        out.put("workers", rows);
        return out;
    }

    /** Every stored schedule; on a broker that keeps none (Disque, memory) {@code available} false and why. */
    private Map<String, Object> schedules() {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            for (ScheduleInfo s : admin.schedules()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", s.id());
                m.put("taskName", s.taskName());
                m.put("definition", s.definition());
                m.put("misfire", s.misfire().name());
                m.put("nextFire", millis(s.nextFire()));
                m.put("lastFire", millis(s.lastFire()));
                rows.add(m);
            }
            out.put("available", true);
        } catch (UnsupportedOperationException e) {
            out.put("available", false);
            out.put("message", e.getMessage());
        }
        out.put("schedules", rows);
        return out;
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static int limit(Map<String, String> q) {
        return number(q, "limit", 100, 0, MAX_LIMIT);
    }

    private static int number(Map<String, String> q, String name, int dflt, int min, int max) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(name + " must be a number " + min + ".." + max + ", was '" + v + "'");
    }

    private static String required(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing query parameter '" + name + "'");
        }
        return v;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("the request body needs a text field '" + field + "'");
        }
        return v.asText();
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The action's JSON body (an object; empty when there is none). */
    private static JsonNode body(HttpExchange ex) {
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new IllegalArgumentException("request body over " + MAX_BODY + " bytes");
            }
            if (bytes.length == 0) {
                return Responses.JSON.createObjectNode();
            }
            JsonNode n = Responses.JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("the request body must be a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the request body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("the request body could not be read: " + e.getMessage());
        }
    }
}
