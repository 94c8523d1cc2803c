package io.tasque.broker.disque;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Puts the broker's {@link JobMeta} into a Disque job body and takes it out again. The meta lives under one
 * top-level key, {@value #KEY}, beside Go tasque's Name, Params and EnqueueTime, so a Go reader still sees its
 * own fields and ignores the rest. A job without meta is stored exactly as submitted. A payload that is not a
 * JSON object (never one the codec wrote) is kept base64-encoded inside the meta, so its bytes come back as
 * given. Numbers are read as exact decimals, so taking the meta out never changes a value.
 *
 * <p>The same object may also hold what the codec put there for the task (its headers, see
 * {@link GoTasqueCodec}): joining and splitting touch only the meta's own fields, so those stay with the payload,
 * and a body whose object holds no meta is read as it is.
 */
final class JobBody {

    /** The top-level key of the broker's meta; Go's case-insensitive field matching maps it to nothing. */
    static final String KEY = "Tasque";

    private static final byte[] MARKER = ("\"" + KEY + "\"").getBytes(StandardCharsets.UTF_8);
    /** The fields of {@value #KEY} that are the broker's meta; any other field there belongs to the payload. */
    private static final List<String> META_FIELDS = List.of("attempts", "leaseExpiries", "lastError", "diedAt", "firstId", "payload");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    /** A body taken apart: the payload as submitted, and the meta (never null). */
    record Parts(byte[] payload, JobMeta meta) {
    }

    private JobBody() {
    }

    /** The body to store for {@code payload} with {@code meta}; the payload itself when there is no meta. */
    static byte[] join(byte[] payload, JobMeta meta) {
        if (meta.isNone()) {
            return payload;
        }
        ObjectNode root = jsonObject(payload);
        ObjectNode m;
        if (root == null) {
            root = MAPPER.createObjectNode();
            m = metaNode(meta);
            m.put("payload", Base64.getEncoder().encodeToString(payload));
        } else {
            JsonNode old = root.remove(KEY);
            m = metaNode(meta);
            if (old instanceof ObjectNode payloadsOwn) {
                payloadsOwn.remove(META_FIELDS);
                payloadsOwn.setAll(m);
                m = payloadsOwn;
            }
        }
        root.set(KEY, m);
        return write(root);
    }

    /** Takes a stored body apart; a body without meta is returned as it is. */
    static Parts split(byte[] body) {
        ObjectNode root = withMeta(body);
        if (root == null) {
            return new Parts(body, JobMeta.NONE);
        }
        JsonNode m = root.get(KEY);
        JobMeta meta = meta(m);
        JsonNode raw = m.get("payload");
        if (raw != null && raw.isTextual()) {
            try {
                return new Parts(Base64.getDecoder().decode(raw.asText()), meta);
            } catch (IllegalArgumentException e) {
                return new Parts(body, meta);
            }
        }
        if (!hasMetaField(m)) {
            return new Parts(body, JobMeta.NONE); // only the payload's own fields: nothing to take out
        }
        ObjectNode own = ((ObjectNode) m).remove(META_FIELDS);
        if (own.isEmpty()) {
            root.remove(KEY);
        }
        return new Parts(write(root), meta);
    }

    private static boolean hasMetaField(JsonNode m) {
        for (String f : META_FIELDS) {
            if (m.has(f)) {
                return true;
            }
        }
        return false;
    }

    /** Only the meta of a stored body, without rebuilding the payload. */
    static JobMeta metaOf(byte[] body) {
        ObjectNode root = withMeta(body);
        return root == null ? JobMeta.NONE : meta(root.get(KEY));
    }

    private static ObjectNode withMeta(byte[] body) {
        if (body == null || indexOf(body, MARKER) < 0) {
            return null;
        }
        ObjectNode root = jsonObject(body);
        return root != null && root.get(KEY) instanceof ObjectNode ? root : null;
    }

    private static ObjectNode jsonObject(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && Character.isWhitespace(bytes[i])) {
            i++;
        }
        if (i == bytes.length || bytes[i] != '{') {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            return node instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static ObjectNode metaNode(JobMeta meta) {
        ObjectNode m = MAPPER.createObjectNode();
        if (meta.attempts() > 0) {
            m.put("attempts", meta.attempts());
        }
        if (meta.leaseExpiries() > 0) {
            m.put("leaseExpiries", meta.leaseExpiries());
        }
        if (meta.lastError() != null) {
            m.put("lastError", meta.lastError());
        }
        if (meta.diedAtMillis() != 0) {
            m.put("diedAt", Instant.ofEpochMilli(meta.diedAtMillis()).toString());
        }
        if (meta.firstId() != null) {
            m.put("firstId", meta.firstId());
        }
        return m;
    }

    private static JobMeta meta(JsonNode m) {
        int attempts = m.path("attempts").asInt(0);
        int expiries = m.path("leaseExpiries").asInt(0);
        JsonNode error = m.get("lastError");
        long diedAt = 0;
        JsonNode died = m.get("diedAt");
        if (died != null && died.isTextual()) {
            try {
                diedAt = Instant.parse(died.asText()).toEpochMilli();
            } catch (RuntimeException e) {
                diedAt = 0;
            }
        }
        JsonNode first = m.get("firstId");
        return new JobMeta(Math.max(0, attempts), Math.max(0, expiries),
                error != null && error.isTextual() ? error.asText() : null, diedAt,
                first != null && first.isTextual() && !first.asText().isEmpty() ? first.asText() : null);
    }

    private static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("a parsed JSON tree could not be written back: " + e.getMessage(), e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
