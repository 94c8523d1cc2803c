package io.tasque.broker.disque;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a job body the way Go tasque's worker does, {@code json.Unmarshal} into
 * {@code struct {Name string; Params map[string]interface{}; EnqueueTime time.Time}}: each key goes to the field
 * whose name it equals, exactly or else ignoring case; other keys are ignored; a value of the wrong type fails the
 * whole read. Used to check that what the Java side writes is what a Go worker would see.
 */
final class GoReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] FIELDS = {"Name", "Params", "EnqueueTime"};

    /** What the Go struct ends up holding; {@code enqueueTime} is the RFC 3339 text. */
    record GoTask(String name, Map<String, Object> params, String enqueueTime) {
    }

    private GoReader() {
    }

    static GoTask read(byte[] body) throws IOException {
        Map<String, Object> json = JSON.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() {
        });
        String name = "";
        Map<String, Object> params = null;
        String time = "0001-01-01T00:00:00Z";
        for (Map.Entry<String, Object> e : json.entrySet()) {
            String field = fieldFor(e.getKey());
            if (field == null) {
                continue;
            }
            Object v = e.getValue();
            switch (field) {
                case "Name" -> {
                    if (!(v instanceof String s)) {
                        throw new IOException("json: cannot unmarshal " + v + " into Go struct field Task.Name of type string");
                    }
                    name = s;
                }
                case "Params" -> {
                    if (v != null && !(v instanceof Map)) {
                        throw new IOException("json: cannot unmarshal " + v + " into Go struct field Task.Params");
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> p = (Map<String, Object>) v;
                    params = p;
                }
                default -> {
                    if (!(v instanceof String s)) {
                        throw new IOException("parsing time " + v + ": not a string");
                    }
                    OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                    time = s;
                }
            }
        }
        return new GoTask(name, params, time);
    }

    /** The Go field a JSON key lands in, or null: {@code encoding/json} prefers an exact match, then a case-insensitive one. */
    static String fieldFor(String key) {
        for (String f : FIELDS) {
            if (f.equals(key)) {
                return f;
            }
        }
        for (String f : FIELDS) {
            if (f.equalsIgnoreCase(key)) {
                return f;
            }
        }
        return null;
    }
}
