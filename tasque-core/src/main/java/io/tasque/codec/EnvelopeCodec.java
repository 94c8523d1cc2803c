package io.tasque.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns an {@link Envelope} into the versioned JSON stored in the queue and back.
 *
 * <p>Wire format, version 1: {@code {"v":1,"id":"…","name":"…","params":{…},"headers":{…},"enqueuedAt":ms,"expiresAt":ms}}.
 * {@code headers} (string to string) is written only when the task has headers, so a task without them is
 * encoded byte for byte as before headers existed, and a payload without the field reads as no headers.
 * Unknown fields are ignored so later versions can add fields; an unknown {@code v} is refused. Params are plain
 * JSON (maps, lists, strings, numbers, booleans, null), written and read by {@link ParamJson}'s rules, so a
 * decoded param equals the one {@code Task.set} stored; no Java types travel. The reader runs with
 * {@link ParamJson#READ_LIMITS} and the writer refuses anything beyond them, so every payload this codec writes
 * is one it reads back.
 */
public final class EnvelopeCodec implements TaskCodec {

    /** The envelope version this codec writes. */
    public static final int VERSION = 1;
    /** Default largest encoded payload: 512 KiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 512 * 1024;
    /**
     * The largest payload limit a client may set: 16 MiB. Every string in a payload this size is shorter than
     * the reader's {@link ParamJson#MAX_STRING_CHARS}, and Redis stores it in one value with room to spare.
     */
    public static final int MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

    private static final String NOT_JSON = "not valid JSON: ";

    private final JsonFactory factory;
    private final int maxPayloadBytes;

    /** A codec with the default payload limit. */
    public EnvelopeCodec() {
        this(DEFAULT_MAX_PAYLOAD_BYTES);
    }

    /** A codec refusing payloads over {@code maxPayloadBytes} (at most {@link #MAX_PAYLOAD_BYTES}). */
    public EnvelopeCodec(int maxPayloadBytes) {
        if (maxPayloadBytes < 64) {
            throw new IllegalArgumentException("maxPayloadBytes must be >= 64, was " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
        this.factory = ParamJson.factory();
    }

    /** The most bytes an encoded task may have. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /**
     * Encodes an envelope.
     *
     * @throws PayloadTooLargeException when the JSON is over {@link #maxPayloadBytes()}
     * @throws IllegalArgumentException when a param cannot be written as JSON
     */
    @Override
    public byte[] encode(Envelope e) {
        ByteArrayBuilder out = EncodeBuffer.take();
        try {
            try (JsonGenerator g = factory.createGenerator(out)) {
                g.writeStartObject();
                g.writeNumberField("v", VERSION);
                g.writeStringField("id", e.id());
                g.writeStringField("name", e.name());
                g.writeFieldName("params");
                ParamJson.writeParams(g, e.params(), e.name());
                if (!e.headers().isEmpty()) {
                    writeHeaders(g, e.headers());
                }
                g.writeNumberField("enqueuedAt", e.enqueuedAt());
                g.writeNumberField("expiresAt", e.expiresAt());
                g.writeEndObject();
            } catch (IOException ex) {
                throw new IllegalArgumentException("params of task '" + e.name() + "' cannot be written as JSON: "
                        + ex.getMessage(), ex);
            }
            if (out.size() > maxPayloadBytes) {
                throw new PayloadTooLargeException(e.name(), out.size(), maxPayloadBytes);
            }
            return out.toByteArray();
        } finally {
            EncodeBuffer.giveBack(out);
        }
    }

    /**
     * Decodes a stored payload.
     *
     * @throws UndecodablePayloadException with the reason when the bytes are not a valid envelope
     */
    @Override
    public Envelope decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new UndecodablePayloadException("empty payload");
        }
        // the fields are read straight off the parser, without a map of the whole envelope; each is read by
        // ParamJson's rules (an unknown one too), and a repeated field keeps its last value
        Object v = null;
        Object id = null;
        Object name = null;
        Object params = null;
        Object headers = null;
        Object enqueuedAt = null;
        Object expiresAt = null;
        try (JsonParser p = factory.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.VALUE_NULL) {
                throw new UndecodablePayloadException("payload is JSON null, not an envelope");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new UndecodablePayloadException(NOT_JSON + "expected a JSON object, found " + first);
            }
            String field;
            while ((field = p.nextFieldName()) != null) {
                p.nextToken();
                Object value = ParamJson.read(p);
                switch (field) {
                    case "v" -> v = value;
                    case "id" -> id = value;
                    case "name" -> name = value;
                    case "params" -> params = value;
                    case "headers" -> headers = value;
                    case "enqueuedAt" -> enqueuedAt = value;
                    case "expiresAt" -> expiresAt = value;
                    default -> {
                        // a field of a later version: ignored
                    }
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new IOException("unexpected end of input in an object");
            }
        } catch (IOException ex) {
            throw new UndecodablePayloadException(NOT_JSON + ParamJson.firstLine(ex.getMessage()));
        }
        if (!(v instanceof Integer version)) {
            throw new UndecodablePayloadException("envelope has no version field \"v\"");
        }
        if (version != VERSION) {
            throw new UndecodablePayloadException("unknown envelope version " + version + "; this reader knows " + VERSION);
        }
        if (!(name instanceof String n) || n.isEmpty()) {
            throw new UndecodablePayloadException("envelope has no task name");
        }
        if (!(id instanceof String i) || i.isEmpty()) {
            throw new UndecodablePayloadException("envelope has no job id");
        }
        if (params != null && !(params instanceof Map)) {
            throw new UndecodablePayloadException("envelope params is a " + params.getClass().getSimpleName() + ", not an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) params;
        return new Envelope(i, n, p, longField("enqueuedAt", enqueuedAt), longField("expiresAt", expiresAt),
                headers(headers, "envelope field \"headers\""));
    }

    /** Writes the {@code headers} field: one JSON object of strings. */
    static void writeHeaders(JsonGenerator g, Map<String, String> headers) throws IOException {
        g.writeFieldName("headers");
        g.writeStartObject();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            g.writeStringField(h.getKey(), h.getValue());
        }
        g.writeEndObject();
    }

    /**
     * Decoded headers: an object whose values are all strings; the empty map when {@code value} is null (missing).
     * Their limits are checked when the worker builds its task.
     *
     * @throws UndecodablePayloadException naming {@code field} (and the header) when the value has another shape
     */
    public static Map<String, String> headers(Object value, String field) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new UndecodablePayloadException(field + " is a " + value.getClass().getSimpleName() + ", not an object of strings");
        }
        if (map.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>(map.size() * 2);
        for (Map.Entry<?, ?> h : map.entrySet()) {
            if (!(h.getValue() instanceof String s)) {
                throw new UndecodablePayloadException(field + " has header '" + h.getKey() + "' of type "
                        + (h.getValue() == null ? "null" : h.getValue().getClass().getSimpleName()) + ", not a string");
            }
            out.put((String) h.getKey(), s);
        }
        return Collections.unmodifiableMap(out);
    }

    private static long longField(String field, Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        throw new UndecodablePayloadException("envelope field \"" + field + "\" is not a whole number: " + v);
    }
}
