package io.tasque.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;

/**
 * Turns an {@link Envelope} into the versioned JSON stored in the queue and back.
 *
 * <p>Wire format, version 1: {@code {"v":1,"id":"…","name":"…","params":{…},"enqueuedAt":ms,"expiresAt":ms}}.
 * Unknown fields are ignored so later versions can add fields; an unknown {@code v} is refused. Jackson runs
 * with default typing off: params are plain JSON (maps, lists, strings, numbers, booleans, null).
 */
public final class EnvelopeCodec implements TaskCodec {

    /** The envelope version this codec writes. */
    public static final int VERSION = 1;
    /** Default largest encoded payload: 512 KiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 512 * 1024;

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper mapper;
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
        this.mapper = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, false);
        this.factory = mapper.getFactory();
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
            writeJson(g, e.params());
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
     * Writes the JSON values a {@link io.tasque.Task} can hold with the generator's own calls, which is faster
     * than data binding and needs no warm-up; anything else goes through Jackson's data binding.
     */
    private void writeJson(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String str) {
            g.writeString(str);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                g.writeFieldName(String.valueOf(entry.getKey()));
                writeJson(g, entry.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof java.util.List<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                writeJson(g, item);
            }
            g.writeEndArray();
        } else {
            mapper.writeValue(g, v);
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
        Map<String, Object> json;
        try {
            json = mapper.readValue(bytes, MAP);
        } catch (IOException ex) {
            throw new UndecodablePayloadException("not valid JSON: " + firstLine(ex.getMessage()));
        }
        if (json == null) {
            throw new UndecodablePayloadException("payload is JSON null, not an envelope");
        }
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

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
