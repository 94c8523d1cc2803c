package io.tasque.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tasque.client.DeadTask;
import io.tasque.client.JobInfo;
import io.tasque.client.QueueCounts;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON documents the commands print with {@code --json}: one shape per kind of thing, fields in a fixed order. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** One line of compact JSON. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON output: " + e.getMessage(), e);
        }
    }

    /** {@code {"name","ready","delayed","running","dead"}}. */
    static Map<String, Object> counts(QueueCounts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("ready", c.ready());
        m.put("delayed", c.delayed());
        m.put("running", c.running());
        m.put("dead", c.dead());
        return m;
    }

    /** {@code {"id","name","state","attempt","params","lastError"}}, state as a {@code JobState} name. */
    static Map<String, Object> job(JobInfo j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("name", j.name());
        m.put("state", j.state().name());
        m.put("attempt", j.attempt());
        m.put("params", j.params());
        m.put("lastError", j.lastError());
        return m;
    }

    /**
     * {@code {"id","attempts","lastError","diedAt","name","params"}}; a dead job whose payload could not be
     * decoded has {@code "params": null} and its raw text in {@code "payload"}.
     */
    static Map<String, Object> dead(DeadTask d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("attempts", d.attempts());
        m.put("lastError", d.lastError());
        m.put("diedAt", d.diedAt() == null ? null : d.diedAt().toString());
        m.put("name", d.queue());
        m.put("params", d.task() == null ? null : d.task().params());
        if (d.task() == null) {
            m.put("payload", d.payload());
        }
        return m;
    }
}
