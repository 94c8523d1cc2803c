package io.tasque;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rules for task headers: small string metadata (a trace id, a tenant, who submitted it) carried beside the
 * params and shown to the handler, checked when a header is set and again when a worker receives one. Limits keep
 * the envelope small and every header safe to put in a log line or an MDC entry: a key is 1 to
 * {@value #MAX_KEY_LENGTH} characters without control characters, a value at most {@value #MAX_VALUE_LENGTH}
 * characters and never null, at most {@value #MAX_HEADERS} headers per task; neither may hold an unpaired
 * surrogate, which JSON cannot carry back exactly.
 */
public final class TaskHeaders {

    /** Longest header key, in characters. */
    public static final int MAX_KEY_LENGTH = 128;
    /** Longest header value, in characters. */
    public static final int MAX_VALUE_LENGTH = 4096;
    /** Most headers one task may carry. */
    public static final int MAX_HEADERS = 64;

    private static final int SHOWN = 32;

    private TaskHeaders() {
    }

    /**
     * Checks one header of task {@code task}.
     *
     * @throws IllegalArgumentException naming the key (and the value) and the rule it breaks
     */
    public static void check(String task, String key, String value) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("header key must not be empty (task '" + task + "')");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("header key '" + shown(key) + "' of task '" + task + "' is " + key.length()
                    + " characters, over the limit of " + MAX_KEY_LENGTH);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("header key '" + printable(key) + "' of task '" + task
                        + "' contains control character U+" + String.format("%04X", (int) c) + " at index " + i);
            }
        }
        checkSurrogates(task, "header key '" + printable(key) + "'", key);
        if (value == null) {
            throw new IllegalArgumentException("header '" + key + "' of task '" + task + "' has a null value; headers are strings");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("header '" + key + "' of task '" + task + "' has a value of " + value.length()
                    + " characters ('" + shown(value) + "'), over the limit of " + MAX_VALUE_LENGTH);
        }
        checkSurrogates(task, "value of header '" + key + "'", value);
    }

    /**
     * {@code headers} checked and copied (unmodifiable, in their order); the empty map for null or none.
     *
     * @throws IllegalArgumentException naming the bad header, or the count when there are more than {@value #MAX_HEADERS}
     */
    public static Map<String, String> copyOf(String task, Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            return Map.of();
        }
        if (headers.size() > MAX_HEADERS) {
            throw new IllegalArgumentException("task '" + task + "' has " + headers.size() + " headers, over the limit of " + MAX_HEADERS);
        }
        Map<String, String> copy = new LinkedHashMap<>(headers.size() * 2);
        for (Map.Entry<String, String> e : headers.entrySet()) {
            check(task, e.getKey(), e.getValue());
            copy.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(copy);
    }

    /** {@code headers} with {@code key} set to {@code value}, checked; the argument is not changed. */
    static Map<String, String> with(String task, Map<String, String> headers, String key, String value) {
        check(task, key, value);
        if (!headers.containsKey(key) && headers.size() >= MAX_HEADERS) {
            throw new IllegalArgumentException("task '" + task + "' already has " + MAX_HEADERS + " headers, the limit; cannot add '"
                    + key + "'");
        }
        Map<String, String> next = new LinkedHashMap<>(headers);
        next.put(key, value);
        return Collections.unmodifiableMap(next);
    }

    private static void checkSurrogates(String task, String what, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " of task '" + task + "' contains an unpaired surrogate U+"
                        + String.format("%04X", (int) c) + " at index " + i + "; JSON cannot carry it");
            }
        }
    }

    private static String shown(String s) {
        return s.length() <= SHOWN ? printable(s) : printable(s.substring(0, SHOWN)) + "…";
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
