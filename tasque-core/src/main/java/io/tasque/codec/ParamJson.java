package io.tasque.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of task params, shared by {@code Task.set} and every codec: which Java values are carried and
 * as what, how they are written and read back, and the limits the reader enforces, so that whatever is
 * accepted at set and submit is read back by a worker equal to what the client holds.
 *
 * <p>What a value becomes (its <em>canonical</em> form, the same on the client after {@code set} and on the
 * worker after decoding):
 * <ul>
 * <li>whole numbers (Byte, Short, Integer, Long, BigInteger, a BigDecimal of scale 0): Integer when it fits,
 *     else Long when it fits, else BigInteger — the value exactly;</li>
 * <li>Double: itself; Float: the Double of its shortest decimal ({@code 0.1f} becomes {@code 0.1}), so reading
 *     it as Float gives the float back;</li>
 * <li>any other BigDecimal: a Double when it is the same number as that double's decimal form ({@code 1.50}
 *     becomes {@code 1.5}), else the BigDecimal itself; either way it reads back as a BigDecimal equal to the
 *     original by {@code compareTo};</li>
 * <li>byte[]: its base64 string (standard alphabet, padded), which reads back as byte[];</li>
 * <li>Character and Enum: their string; Collection and arrays: List; Map with String keys: Map.</li>
 * </ul>
 * Refused, with an {@link IllegalArgumentException} naming the key: NaN and infinities, other types, strings
 * and keys with an unpaired surrogate (UTF-8 cannot carry one), nesting deeper than {@value #MAX_DEPTH} levels,
 * a map or list that contains itself, and anything over the reader's limits below.
 */
public final class ParamJson {

    /** Deepest nesting of maps and lists inside one param (a flat map is 1 level). */
    public static final int MAX_DEPTH = 100;
    /** Longest string value, in chars: the reader's {@code maxStringLength}. */
    public static final int MAX_STRING_CHARS = 20_000_000;
    /** Longest map key, in UTF-8 bytes: the reader's {@code maxNameLength}, which counts bytes. */
    public static final int MAX_KEY_BYTES = 50_000;
    /** Longest number, in characters of its JSON text: the reader's {@code maxNumberLength}. */
    public static final int MAX_NUMBER_CHARS = 1000;
    /** Deepest JSON the reader accepts; an envelope adds two levels around the params. */
    public static final int MAX_READ_DEPTH = 1000;

    /** The limits every tasque JSON reader runs with; the writer refuses anything beyond them. */
    public static final StreamReadConstraints READ_LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_READ_DEPTH)
            .maxStringLength(MAX_STRING_CHARS)
            .maxNameLength(MAX_KEY_BYTES)
            .maxNumberLength(MAX_NUMBER_CHARS)
            .build();

    private static final JsonFactory FACTORY = JsonFactory.builder().streamReadConstraints(READ_LIMITS).build();
    private static final Object NOT_SCALAR = new Object();
    private static final int KEY_SHOWN = 64;

    private ParamJson() {
    }

    /**
     * The canonical form of {@code value} for the param {@code key} of task {@code task}: checked against every
     * rule above, with maps and lists copied (unmodifiable).
     *
     * @throws IllegalArgumentException naming the key (and the path inside it) when JSON cannot carry the value exactly
     */
    public static Object canonical(String task, String key, Object value) {
        Path at = new Path(null, key, -1);
        checkKey(task, at, key);
        return new Copier(task).copy(value, at, 0);
    }

    /**
     * Writes a params map (the value of an envelope's params field), refusing what {@link #canonical} refuses.
     *
     * @throws IllegalArgumentException naming the key when a value cannot be carried
     */
    public static void writeParams(JsonGenerator g, Map<String, Object> params, String task) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Object> e : params.entrySet()) {
            String key = e.getKey();
            Path at = new Path(null, key, -1);
            if (key == null) {
                throw refuse(task, at, "has a null key; JSON object keys must be strings");
            }
            checkKey(task, at, key);
            g.writeFieldName(key);
            write(g, e.getValue(), task, at, 0);
        }
        g.writeEndObject();
    }

    private static void write(JsonGenerator g, Object v, String task, Path at, int depth) throws IOException {
        if (v instanceof Map<?, ?> map) {
            checkDepth(task, at, depth + 1);
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String k = mapKey(task, at, e.getKey());
                g.writeFieldName(k);
                write(g, e.getValue(), task, at.child(k), depth + 1);
            }
            g.writeEndObject();
            return;
        }
        if (isList(v)) {
            checkDepth(task, at, depth + 1);
            g.writeStartArray();
            int i = 0;
            for (Object item : items(v)) {
                write(g, item, task, at.index(i++), depth + 1);
            }
            g.writeEndArray();
            return;
        }
        Object s = scalar(v, task, at);
        if (s == NOT_SCALAR) {
            throw unsupported(task, at, v);
        }
        writeScalar(g, s);
    }

    private static void writeScalar(JsonGenerator g, Object s) throws IOException {
        if (s == null) {
            g.writeNull();
        } else if (s instanceof String str) {
            g.writeString(str);
        } else if (s instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (s instanceof Integer || s instanceof Long) {
            g.writeNumber(((Number) s).longValue());
        } else if (s instanceof Double d) {
            g.writeNumber(Double.toString(d));
        } else {
            // BigInteger or BigDecimal: their toString is the exact JSON number the reader turns back into them
            g.writeNumber(s.toString());
        }
    }

    /** A JSON factory whose parsers run with {@link #READ_LIMITS}; codecs write and read through it. */
    public static JsonFactory factory() {
        return FACTORY;
    }

    /**
     * Reads a payload that must be one JSON object, by these rules and limits.
     *
     * @throws UndecodablePayloadException with {@code prefix} and the parser's reason, or {@code ifNull} for JSON null
     */
    public static Map<String, Object> readObject(byte[] bytes, String prefix, String ifNull) {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.VALUE_NULL) {
                throw new UndecodablePayloadException(ifNull);
            }
            if (first != JsonToken.START_OBJECT) {
                throw new UndecodablePayloadException(prefix + "expected a JSON object, found " + first);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) read(p);
            return json;
        } catch (IOException ex) {
            throw new UndecodablePayloadException(prefix + firstLine(ex.getMessage()));
        }
    }

    /** The first line of a parser's message (the rest shows where in the input it stopped). */
    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * Reads the JSON value at the parser's current token: objects as LinkedHashMap, arrays as ArrayList, numbers
     * by the rules above ({@link #number(String)} for decimals).
     */
    static Object read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw new IOException("unexpected end of input");
        }
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                String name;
                while ((name = p.nextFieldName()) != null) {
                    p.nextToken();
                    map.put(name, read(p));
                }
                if (p.currentToken() != JsonToken.END_OBJECT) {
                    throw new IOException("unexpected end of input in an object");
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (next == null) {
                        throw new IOException("unexpected end of input in an array");
                    }
                    list.add(read(p));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                try {
                    return number(p.getText());
                } catch (NumberFormatException e) {
                    throw new IOException("number " + p.getText() + " cannot be read: " + e.getMessage(), e);
                }
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected JSON token " + t);
        }
    }

    /**
     * The value of a JSON decimal (a number with a fraction or an exponent): a Double when the text is the same
     * number as that double's own decimal form, else the exact BigDecimal, so no digit is ever lost.
     */
    public static Number number(String text) {
        double d = Double.parseDouble(text);
        if (Double.isFinite(d)) {
            String own = Double.toString(d);
            if (own.equals(text) || new BigDecimal(own).compareTo(new BigDecimal(text)) == 0) {
                return d;
            }
        }
        return new BigDecimal(text);
    }

    /** The float a canonical double stands for: the float whose shortest decimal became {@code d}, if any. */
    public static float toFloat(double d) {
        float f = (float) d;
        if (fromFloat(f) == d) {
            return f;
        }
        for (float near : new float[] {Math.nextUp(f), Math.nextDown(f)}) {
            if (fromFloat(near) == d) {
                return near;
            }
        }
        return f;
    }

    private static double fromFloat(float f) {
        return Double.parseDouble(Float.toString(f));
    }

    /** Copies containers into canonical form, tracking the ones open on the current path to find cycles. */
    private static final class Copier {
        private final String task;
        private Set<Object> open;

        Copier(String task) {
            this.task = task;
        }

        Object copy(Object v, Path at, int depth) {
            if (v instanceof Map<?, ?> map) {
                enter(v, at, depth);
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    String k = mapKey(task, at, e.getKey());
                    out.put(k, copy(e.getValue(), at.child(k), depth + 1));
                }
                open.remove(v);
                return Collections.unmodifiableMap(out);
            }
            if (isList(v)) {
                enter(v, at, depth);
                List<Object> out = new ArrayList<>();
                int i = 0;
                for (Object item : items(v)) {
                    out.add(copy(item, at.index(i++), depth + 1));
                }
                open.remove(v);
                return Collections.unmodifiableList(out);
            }
            Object s = scalar(v, task, at);
            if (s == NOT_SCALAR) {
                throw unsupported(task, at, v);
            }
            return s;
        }

        private void enter(Object container, Path at, int depth) {
            if (open == null) {
                open = Collections.newSetFromMap(new IdentityHashMap<>());
            }
            if (!open.add(container)) {
                throw refuse(task, at, "is a " + (container instanceof Map ? "map" : "list")
                        + " that contains itself; JSON cannot carry a cycle");
            }
            checkDepth(task, at, depth + 1);
        }
    }

    /** The canonical form of a non-container value, or NOT_SCALAR when it is none JSON can carry. */
    private static Object scalar(Object v, String task, Path at) {
        if (v == null || v instanceof Boolean || v instanceof Integer) {
            return v;
        }
        if (v instanceof String s) {
            checkString(task, at, s, "string");
            return s;
        }
        if (v instanceof Long l) {
            if (l == l.intValue()) {
                return l.intValue();
            }
            return l;
        }
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v instanceof Double d) {
            checkFinite(task, at, d, v);
            return d;
        }
        if (v instanceof Float f) {
            checkFinite(task, at, f, v);
            return fromFloat(f);
        }
        if (v instanceof BigInteger b) {
            return whole(task, at, b);
        }
        if (v instanceof BigDecimal bd) {
            if (bd.scale() == 0) {
                return whole(task, at, bd.unscaledValue());
            }
            String text = bd.toString();
            checkNumberLength(task, at, text);
            Number n;
            try {
                n = number(text);
            } catch (NumberFormatException e) {
                throw refuse(task, at, "is a BigDecimal whose exponent is too large to read back (" + e.getMessage()
                        + "); pass it as a string");
            }
            return n instanceof BigDecimal ? bd : n;
        }
        if (v instanceof byte[] bytes) {
            String s = Base64.getEncoder().encodeToString(bytes);
            if (s.length() > MAX_STRING_CHARS) {
                throw refuse(task, at, "is a byte[] of " + bytes.length + " bytes, whose base64 text is over the limit of "
                        + MAX_STRING_CHARS + " characters; store large data elsewhere and pass a reference");
            }
            return s;
        }
        if (v instanceof Character || v instanceof Enum<?>) {
            String s = v.toString();
            checkString(task, at, s, v instanceof Character ? "char" : "enum name");
            return s;
        }
        return NOT_SCALAR;
    }

    private static Number whole(String task, Path at, BigInteger b) {
        if (b.bitLength() < 32) {
            return b.intValue();
        }
        if (b.bitLength() < 64) {
            return b.longValue();
        }
        String text = b.toString();
        checkNumberLength(task, at, text);
        return b;
    }

    private static boolean isList(Object v) {
        return v instanceof Collection<?> || (v != null && v.getClass().isArray() && !(v instanceof byte[]));
    }

    private static Iterable<?> items(Object v) {
        if (v instanceof Collection<?> c) {
            return c;
        }
        if (v instanceof Object[] a) {
            return java.util.Arrays.asList(a);
        }
        int n = Array.getLength(v);
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Array.get(v, i));
        }
        return out;
    }

    private static String mapKey(String task, Path at, Object key) {
        if (!(key instanceof String k)) {
            throw refuse(task, at, "has a map key of type " + (key == null ? "null" : key.getClass().getName())
                    + "; JSON object keys must be strings");
        }
        checkKey(task, at.child(k), k);
        return k;
    }

    private static void checkKey(String task, Path at, String key) {
        checkString(task, at, key, "key");
        if (key.length() * 3L > MAX_KEY_BYTES && key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw refuse(task, at, "has a key of " + key.getBytes(StandardCharsets.UTF_8).length
                    + " UTF-8 bytes, over the limit of " + MAX_KEY_BYTES);
        }
    }

    private static void checkString(String task, Path at, String s, String what) {
        if (s.length() > MAX_STRING_CHARS) {
            throw refuse(task, at, "is a " + what + " of " + s.length() + " characters, over the limit of "
                    + MAX_STRING_CHARS + "; store large data elsewhere and pass a reference");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw refuse(task, at, "has a " + what + " with an unpaired surrogate U+"
                        + String.format("%04X", (int) c) + " at index " + i
                        + ", which UTF-8 cannot carry; pass text as whole code points, or binary data as byte[]");
            }
        }
    }

    private static void checkFinite(String task, Path at, double d, Object v) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw refuse(task, at, "is " + v + ", which JSON cannot encode; use a finite number or a string");
        }
    }

    private static void checkNumberLength(String task, Path at, String text) {
        if (text.length() > MAX_NUMBER_CHARS) {
            throw refuse(task, at, "is a number of " + text.length() + " characters, over the limit of "
                    + MAX_NUMBER_CHARS + "; pass it as a string");
        }
    }

    private static void checkDepth(String task, Path at, int depth) {
        if (depth > MAX_DEPTH) {
            throw refuse(task, at, "nests maps and lists deeper than " + MAX_DEPTH
                    + " levels (or contains itself); flatten it");
        }
    }

    private static IllegalArgumentException unsupported(String task, Path at, Object v) {
        return refuse(task, at, "is a " + v.getClass().getName()
                + ", which JSON cannot carry; use String, Number, Boolean, null, byte[], Map<String,?> or List");
    }

    private static IllegalArgumentException refuse(String task, Path at, String what) {
        return new IllegalArgumentException("param '" + at + "' of task '" + task + "' " + what);
    }

    /** Where a value sits inside a param, built only for error messages: {@code key.inner[2]}. */
    private record Path(Path parent, String key, int index) {

        Path child(String k) {
            return new Path(this, k, -1);
        }

        Path index(int i) {
            return new Path(this, null, i);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            append(b);
            return b.toString();
        }

        private void append(StringBuilder b) {
            if (parent != null) {
                parent.append(b);
            }
            if (key == null) {
                b.append('[').append(index).append(']');
                return;
            }
            if (parent != null) {
                b.append('.');
            }
            b.append(key.length() > KEY_SHOWN ? key.substring(0, KEY_SHOWN) + "…" : key);
        }
    }
}
