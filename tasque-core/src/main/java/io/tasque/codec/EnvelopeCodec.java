package io.tasque.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.util.Map;

/**
 * Turns an {@link Envelope} into the versioned JSON stored in the queue and back.
 *
 * <p>Wire format, version 1: {@code {"v":1,"id":"…","name":"…","params":{…},"enqueuedAt":ms,"expiresAt":ms}}.
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

    private final JsonFactory factory;
    private final int maxPayloadBytes;

    public EnvelopeCodec() {
        this(DEFAULT_MAX_PAYLOAD_BYTES);
    }

    public EnvelopeCodec(int maxPayloadBytes) {
        if (maxPayloadBytes < 64) {
            throw new IllegalArgumentException("maxPayloadBytes must be >= 64, was " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
        this.factory = ParamJson.factory();
    }

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
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeStringField("id", e.id());
            g.writeStringField("name", e.name());
            g.writeFieldName("params");
            ParamJson.writeParams(g, e.params(), e.name());
            g.writeNumberField("enqueuedAt", e.enqueuedAt());
            g.writeNumberField("expiresAt", e.expiresAt());
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
        Map<String, Object> json = ParamJson.readObject(bytes, "not valid JSON: ", "payload is JSON null, not an envelope");
        Object v = json.get("v");
        if (!(v instanceof Integer version)) {
            throw new UndecodablePayloadException("envelope has no version field \"v\"");
        }
        if (version != VERSION) {
            throw new UndecodablePayloadException("unknown envelope version " + version + "; this reader knows " + VERSION);
        }
        Object name = json.get("name");
        if (!(name instanceof String n) || n.isEmpty()) {
            throw new UndecodablePayloadException("envelope has no task name");
        }
        Object id = json.get("id");
        if (!(id instanceof String i) || i.isEmpty()) {
            throw new UndecodablePayloadException("envelope has no job id");
        }
        Object params = json.get("params");
        if (params != null && !(params instanceof Map)) {
            throw new UndecodablePayloadException("envelope params is a " + params.getClass().getSimpleName() + ", not an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) params;
        return new Envelope(i, n, p, longField(json, "enqueuedAt"), longField(json, "expiresAt"));
    }

    private static long longField(Map<String, Object> json, String field) {
        Object v = json.get(field);
        if (v == null) {
            return 0;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        throw new UndecodablePayloadException("envelope field \"" + field + "\" is not a whole number: " + v);
    }
}
