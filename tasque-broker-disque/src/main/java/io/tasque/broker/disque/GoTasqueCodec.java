package io.tasque.broker.disque;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.tasque.codec.Envelope;
import io.tasque.codec.EnvelopeCodec;
import io.tasque.codec.ParamJson;
import io.tasque.codec.PayloadTooLargeException;
import io.tasque.codec.TaskCodec;
import io.tasque.codec.UndecodablePayloadException;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Go tasque's job JSON, so Go and Java clients and workers share Disque queues:
 * {@code {"Name":"download","Params":{"url":"…"},"EnqueueTime":"2016-04-29T13:45:07.123Z"}}.
 *
 * <p>Go's {@code encoding/json} writes a {@code time.Time} as RFC 3339 with up to nanoseconds and leaves an
 * unset one at Go's zero time ({@value #GO_ZERO_TIME}), which reads back as 0 ("unknown"). This codec adds
 * {@code "ExpireTime"} (RFC 3339) when the job has a TTL; a Go reader ignores fields its struct lacks. A task's
 * headers travel in the Java-only extras object {@value JobBody#KEY}, as {@code "Tasque":{"headers":{…}}}, written
 * only when the task has headers (so a task without them is written exactly as Go tasque writes it); Go tasque
 * ignores the object, and a Go job, which never has it, reads as a task without headers. The broker keeps its own
 * meta in the same object ({@link JobBody}) and leaves the headers in place.
 *
 * <p>Reading is lenient where Go is: a missing {@code Params} or {@code EnqueueTime} is fine, unknown fields
 * are ignored, and keys match case-insensitively when no exact match exists. What Go itself could not read (not
 * an object, no task name, Params not an object, a time that is not RFC 3339) is refused with the reason.
 * The job id is not in the JSON: on Disque it is the job's Disque id, so decoded envelopes carry an empty id.
 *
 * <p>Params are written and read by {@link ParamJson}'s rules and limits, as the Redis envelope's are, so a Java
 * worker reads back exactly what a Java client set, and what JSON cannot carry is refused at submit naming the
 * key. A Go reader decodes every JSON number into a float64: integers beyond 2^53 and decimals a double cannot
 * hold reach a Go handler rounded, so pass such values as strings when Go workers share the queue.
 */
public final class GoTasqueCodec implements TaskCodec {

    /** Go's zero {@code time.Time} as {@code encoding/json} writes it. */
    public static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";

    static final String NAME = "Name";
    static final String PARAMS = "Params";
    static final String ENQUEUE_TIME = "EnqueueTime";
    static final String EXPIRE_TIME = "ExpireTime";
    /** The field of the {@value JobBody#KEY} object that holds the task's headers. */
    static final String HEADERS = "headers";

    private static final long GO_ZERO_MILLIS = Instant.parse(GO_ZERO_TIME).toEpochMilli();

    private final int maxPayloadBytes;

    /** A codec refusing payloads over {@code maxPayloadBytes}. */
    public GoTasqueCodec(int maxPayloadBytes) {
        if (maxPayloadBytes < 64) {
            throw new IllegalArgumentException("maxPayloadBytes must be >= 64, was " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** The most bytes an encoded task may have. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /**
     * Writes Name, Params and EnqueueTime as Go tasque does, plus ExpireTime when the job has a TTL.
     *
     * @throws PayloadTooLargeException when the JSON is over {@link #maxPayloadBytes()}
     * @throws IllegalArgumentException when a param cannot be written as JSON
     */
    @Override
    public byte[] encode(Envelope e) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = ParamJson.factory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(NAME, e.name());
            g.writeFieldName(PARAMS);
            ParamJson.writeParams(g, e.params(), e.name());
            g.writeStringField(ENQUEUE_TIME, e.enqueuedAt() == 0 ? GO_ZERO_TIME : Instant.ofEpochMilli(e.enqueuedAt()).toString());
            if (e.expiresAt() > 0) {
                g.writeStringField(EXPIRE_TIME, Instant.ofEpochMilli(e.expiresAt()).toString());
            }
            if (!e.headers().isEmpty()) {
                g.writeObjectFieldStart(JobBody.KEY);
                g.writeObjectFieldStart(HEADERS);
                for (Map.Entry<String, String> h : e.headers().entrySet()) {
                    g.writeStringField(h.getKey(), h.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new IllegalArgumentException("params of task '" + e.name() + "' cannot be written as JSON: "
                    + ex.getMessage(), ex);
        }
        byte[] bytes = out.toByteArray();
        if (bytes.length > maxPayloadBytes) {
            throw new PayloadTooLargeException(e.name(), bytes.length, maxPayloadBytes);
        }
        return bytes;
    }

    /** @throws UndecodablePayloadException with the reason when Go tasque could not read the bytes either */
    @Override
    public Envelope decode(byte[] bytes) {
        Map<String, Object> json = parse(bytes);
        Object name = field(json, NAME);
        if (!(name instanceof String n) || n.isEmpty()) {
            throw new UndecodablePayloadException("Go tasque job has no task name (\"Name\")");
        }
        Object params = field(json, PARAMS);
        if (params != null && !(params instanceof Map)) {
            throw new UndecodablePayloadException("Go tasque job \"Params\" is a " + params.getClass().getSimpleName()
                    + ", not an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) params;
        return new Envelope("", n, p, time(json, ENQUEUE_TIME), time(json, EXPIRE_TIME), headers(json));
    }

    /** The headers in the extras object; none when there is no such object (a Go job) or it has no headers. */
    private static Map<String, String> headers(Map<String, Object> json) {
        if (!(json.get(JobBody.KEY) instanceof Map<?, ?> extras)) {
            return Map.of();
        }
        return EnvelopeCodec.headers(extras.get(HEADERS), "Go tasque job \"" + JobBody.KEY + "." + HEADERS + "\"");
    }

    /** The expiry time (epoch ms) a payload carries, or 0 when it has none or is not Go tasque JSON. */
    static long expiresAtOf(byte[] payload) {
        try {
            return time(parse(payload), EXPIRE_TIME);
        } catch (UndecodablePayloadException e) {
            return 0;
        }
    }

    private static Map<String, Object> parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new UndecodablePayloadException("empty payload");
        }
        return ParamJson.readObject(bytes, "not a Go tasque job (JSON object): ", "payload is JSON null, not a Go tasque job");
    }

    /** The value of {@code key}, matched exactly first and then case-insensitively, as Go's encoding/json does. */
    private static Object field(Map<String, Object> json, String key) {
        if (json.containsKey(key)) {
            return json.get(key);
        }
        for (Map.Entry<String, Object> e : json.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static long time(Map<String, Object> json, String key) {
        Object v = field(json, key);
        if (v == null) {
            return 0;
        }
        if (!(v instanceof String s)) {
            throw new UndecodablePayloadException("Go tasque job \"" + key + "\" is not an RFC 3339 time string: " + v);
        }
        try {
            long millis = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
            return millis == GO_ZERO_MILLIS ? 0 : millis;
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new UndecodablePayloadException("Go tasque job \"" + key + "\" is not an RFC 3339 time: \"" + s + "\"");
        }
    }
}
