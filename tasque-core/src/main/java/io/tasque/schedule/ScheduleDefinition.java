package io.tasque.schedule;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.tasque.Misfire;
import io.tasque.Task;
import io.tasque.codec.EnvelopeCodec;
import io.tasque.codec.ParamJson;
import io.tasque.codec.UndecodablePayloadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One schedule as the broker stores it: its id, when it ticks, its catch-up policy, and the task each tick
 * submits (name, params, headers, and the TTL its jobs get, in ms; 0 = none). Its JSON form
 * ({@link #toJson()}) is compared as text when the schedule is registered again, so it is written the same way
 * every time: params and headers sorted by key.
 */
public record ScheduleDefinition(String id, ScheduleTrigger trigger, Misfire misfire, String taskName,
                                 Map<String, Object> params, Map<String, String> headers, long ttlMillis) {

    /** Longest schedule id accepted, in characters: 80, so a tick's job id (id@instant) stays under the id limit. */
    public static final int MAX_ID_LENGTH = 80;
    /** Version of the stored JSON. */
    public static final int VERSION = 1;

    public ScheduleDefinition {
        checkId(id);
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(misfire, "misfire");
        Objects.requireNonNull(taskName, "taskName");
        params = Collections.unmodifiableMap(new TreeMap<>(params)); // a param may be null: no Map.copyOf
        headers = Collections.unmodifiableMap(new TreeMap<>(headers));
        if (ttlMillis < 0) {
            throw new IllegalArgumentException("ttlMillis must be >= 0, was " + ttlMillis);
        }
    }

    /**
     * Validates a schedule id: a job id ({@link Task#checkId}) of at most {@value #MAX_ID_LENGTH} characters.
     *
     * @return the id
     * @throws IllegalArgumentException naming the value and the rule it breaks
     */
    public static String checkId(String id) {
        try {
            Task.checkId(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schedule id: " + e.getMessage(), e);
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("schedule id '" + id.substring(0, 32) + "…' is " + id.length()
                    + " characters, over the limit of " + MAX_ID_LENGTH);
        }
        return id;
    }

    /**
     * The id of the job a tick submits: {@code <schedule id>@<tick as ISO-8601 instant>}, e.g.
     * {@code nightly@2026-11-30T02:00:00Z}. Every firer makes the same id for the same tick, so a tick stored twice
     * is stored once.
     */
    public static String jobId(String scheduleId, long tickMillis) {
        return scheduleId + "@" + DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(tickMillis));
    }

    /** The stored form: {@code {"v":1,"trigger":…,"misfire":…,"task":…,"params":{…},"headers":{…},"ttl":ms}}. */
    public String toJson() {
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator g = ParamJson.factory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeStringField("trigger", trigger.text());
            g.writeStringField("misfire", misfire.name());
            g.writeStringField("task", taskName);
            g.writeFieldName("params");
            ParamJson.writeParams(g, new TreeMap<>(params), taskName);
            g.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> h : new TreeMap<>(headers).entrySet()) {
                g.writeStringField(h.getKey(), h.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("ttl", ttlMillis);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("schedule '" + id + "' cannot be written as JSON: " + e.getMessage(), e);
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    /**
     * Reads the stored form of schedule {@code id}.
     *
     * @throws UndecodablePayloadException naming the schedule and what is wrong when the JSON is not a definition
     */
    public static ScheduleDefinition fromJson(String id, String json) {
        String prefix = "schedule '" + id + "': ";
        Map<String, Object> m = ParamJson.readObject(json.getBytes(StandardCharsets.UTF_8), prefix, prefix + "definition is null");
        if (!Integer.valueOf(VERSION).equals(m.get("v"))) {
            throw new UndecodablePayloadException(prefix + "unknown definition version " + m.get("v"));
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> params = m.get("params") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
            Object ttl = m.get("ttl");
            return new ScheduleDefinition(id, ScheduleTrigger.parse((String) m.get("trigger")),
                    Misfire.valueOf((String) m.get("misfire")), Task.checkName((String) m.get("task")), params,
                    EnvelopeCodec.headers(m.get("headers"), "headers"), ttl instanceof Number n ? n.longValue() : 0);
        } catch (RuntimeException e) {
            throw new UndecodablePayloadException(prefix + e.getMessage());
        }
    }
}
