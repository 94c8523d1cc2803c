package io.tasque;

import io.tasque.codec.ParamJson;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A named unit of work with a map of JSON parameters: what a client submits and what a handler receives.
 *
 * <p>A {@code Task} is an immutable value: {@link #set(String, Object)} returns a new task, so one template
 * can be submitted many times and a submitted task can never change under the queue. Parameters are
 * checked when they are set: only values JSON can carry exactly (String, Number, Boolean, null, byte[], Map with
 * String keys, List/Collection/array of those, at most {@value ParamJson#MAX_DEPTH} levels deep) are accepted,
 * stored in the form a worker decodes them to (see {@link ParamJson}: a Float is kept as the Double of its
 * shortest decimal, a whole number as Integer, Long or BigInteger, a byte[] as its base64 string), and nested
 * maps and lists are copied. So a worker's task holds params equal to the client's, and
 * {@link #param(String, Class)} reads back what was set: {@code 0.1f} as Float {@code 0.1f}, a BigDecimal equal
 * by {@code compareTo}, a long beyond 2^53 exactly, a byte[] with the same bytes.
 *
 * <p>On the worker side the task also carries its job {@link #id()} and the {@link #attempt()} number.
 *
 * <p>Beside the params a task may carry {@linkplain #header(String, String) headers}: string metadata such as a
 * trace id or a tenant, limited and checked by {@link TaskHeaders}'s rules, carried on the wire and shown to the
 * handler like the params. A task without headers is encoded exactly as one from before headers existed.
 */
public final class Task {

    /** Longest task name accepted, in characters. */
    public static final int MAX_NAME_LENGTH = 128;
    /** Longest caller-chosen job id accepted ({@link #id(String)}), in characters. */
    public static final int MAX_ID_LENGTH = 128;
    /**
     * How long after a job with a caller-chosen id succeeded a submit with the same id is still taken as a repeat
     * (and stores nothing), unless {@link #uniqueFor(Duration)} says otherwise: 24 h.
     */
    public static final Duration DEFAULT_UNIQUE_FOR = Duration.ofHours(24);

    private final String name;
    private final Map<String, Object> params;
    private final String id;
    private final int attempt;
    private final Map<String, String> headers;
    /** The uniqueness window of a caller-chosen id, or null for {@link #DEFAULT_UNIQUE_FOR}. */
    private final Duration uniqueFor;

    private Task(String name, Map<String, Object> params, String id, int attempt, Map<String, String> headers,
                 Duration uniqueFor) {
        this.name = name;
        this.params = params;
        this.id = id;
        this.attempt = attempt;
        this.headers = headers;
        this.uniqueFor = uniqueFor;
    }

    /**
     * Starts a task with no parameters. The name is checked against the rule every broker applies
     * ({@link #checkBaseName}); a broker's own rule is applied when the task is submitted (Redis, the default:
     * {@link #checkName}, no whitespace or braces; Disque takes those too).
     *
     * @throws IllegalArgumentException if the name is empty, longer than {@value #MAX_NAME_LENGTH} characters,
     *                                  or contains control characters
     */
    public static Task of(String name) {
        return new Task(checkBaseName(name), Map.of(), null, 0, Map.of(), null);
    }

    /**
     * A task as a worker received it: the decoded name and params plus the job id and attempt number.
     * Params are taken as they are (already decoded from JSON).
     */
    public static Task received(String name, Map<String, Object> params, String id, int attempt) {
        return received(name, params, Map.of(), id, attempt);
    }

    /**
     * A task as a worker received it, with the headers it was submitted with.
     *
     * @throws IllegalArgumentException naming the header when one breaks {@link TaskHeaders}'s rules
     */
    public static Task received(String name, Map<String, Object> params, Map<String, String> headers, String id, int attempt) {
        Objects.requireNonNull(id, "id");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
        Map<String, Object> copy = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        String checked = checkBaseName(name);
        return new Task(checked, copy, id, attempt, TaskHeaders.copyOf(checked, headers), null);
    }

    /**
     * Returns a copy of this task with {@code key} set to {@code value}.
     *
     * @throws IllegalArgumentException naming the key if it is empty or the value is not something JSON can carry
     *                                  exactly (NaN, an unpaired surrogate, a cycle, nesting over
     *                                  {@value ParamJson#MAX_DEPTH} levels, a type JSON has no form for, …)
     */
    public Task set(String key, Object value) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("param key must not be empty (task '" + name + "')");
        }
        Map<String, Object> next = new LinkedHashMap<>(params);
        next.put(key, ParamJson.canonical(name, key, value));
        return new Task(name, Collections.unmodifiableMap(next), id, attempt, headers, uniqueFor);
    }

    /** Returns a copy of this task with every entry of {@code values} set, as {@link #set} would. */
    public Task setAll(Map<String, ?> values) {
        Task t = this;
        for (Map.Entry<String, ?> e : values.entrySet()) {
            t = t.set(e.getKey(), e.getValue());
        }
        return t;
    }

    /**
     * Returns a copy of this task with the header {@code key} set to {@code value} (replacing an earlier value).
     *
     * @throws IllegalArgumentException naming the key or value and the limit when it breaks {@link TaskHeaders}'s
     *                                  rules: key 1 to {@value TaskHeaders#MAX_KEY_LENGTH} characters without control
     *                                  characters, value not null and at most {@value TaskHeaders#MAX_VALUE_LENGTH}
     *                                  characters, at most {@value TaskHeaders#MAX_HEADERS} headers
     */
    public Task header(String key, String value) {
        return new Task(name, params, id, attempt, TaskHeaders.with(name, headers, key, value), uniqueFor);
    }

    /** All headers, unmodifiable, in the order they were set; empty when there are none. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The header {@code key}, or null when the task has none by that name. */
    public String header(String key) {
        return headers.get(key);
    }

    /** The task name; it names the queue and selects the handler. */
    public String name() {
        return name;
    }

    /** All parameters, unmodifiable, in the order they were set. */
    public Map<String, Object> params() {
        return params;
    }

    /** True if the parameter is present (even with a null value). */
    public boolean has(String key) {
        return params.containsKey(key);
    }

    /**
     * Returns the parameter {@code key} as {@code type}, or null when it is absent or null.
     *
     * <p>Numbers widen as Java does: an int param can be read as Long or Double; a whole-number double
     * cannot be read as Integer. A float that was set reads back as the same Float, a BigDecimal as a BigDecimal
     * equal by {@code compareTo}, a byte[] (or any base64 string) as byte[]. Maps read as {@code Map}, lists as
     * {@code List}.
     *
     * @throws IllegalArgumentException naming the key, the expected type and the actual type when they do not fit
     */
    public <T> T param(String key, Class<T> type) {
        Object v = params.get(key);
        if (v == null) {
            return null;
        }
        Object converted = ParamTypes.convert(v, type);
        if (converted == null) {
            throw new IllegalArgumentException("param '" + key + "' of task '" + name + "' is a "
                    + ParamTypes.describe(v) + ", not a " + type.getSimpleName());
        }
        @SuppressWarnings("unchecked") // converted is an instance of type, or of its wrapper for a primitive type
        T value = (T) converted;
        return value;
    }

    /**
     * Like {@link #param} but the parameter must be present and not null.
     *
     * @throws IllegalArgumentException naming the key when it is missing
     */
    public <T> T require(String key, Class<T> type) {
        T v = param(key, type);
        if (v == null) {
            throw new IllegalArgumentException("task '" + name + "' has no param '" + key + "'; it has " + params.keySet());
        }
        return v;
    }

    /**
     * The job id: on the worker side the id the job runs under; before submit the id the caller chose with
     * {@link #id(String)}, or null (the client then makes one).
     */
    public String id() {
        return id;
    }

    /**
     * Returns a copy of this task to be submitted under {@code id} instead of an id the client makes. At most one
     * job per task name and id exists at a time: submitting the same id again while the first job is ready,
     * delayed, running or dead, or within its {@linkplain #uniqueFor(Duration) uniqueness window} after it
     * succeeded, returns the id and stores nothing. So a submit repeated after a lost reply, or two producers
     * submitting the same business key, run the work once.
     *
     * @throws IllegalArgumentException naming the value if it breaks the rule of {@link #checkId}
     * @throws IllegalStateException if this task was received from a queue (it already has its job id)
     */
    public Task id(String id) {
        if (attempt > 0) {
            throw new IllegalStateException("task '" + name + "' was received as job '" + this.id
                    + "'; set an id on a new task (Task.of) before submitting it");
        }
        return new Task(name, params, checkId(id), 0, headers, uniqueFor);
    }

    /**
     * Returns a copy of this task whose {@linkplain #id(String) caller-chosen id} stays taken for {@code window}
     * after its job succeeded (default {@link #DEFAULT_UNIQUE_FOR}; zero: free again as soon as it succeeded).
     * Has no effect on a task submitted without an id.
     *
     * @throws IllegalArgumentException if the window is negative
     */
    public Task uniqueFor(Duration window) {
        if (window == null || window.isNegative()) {
            throw new IllegalArgumentException("uniqueFor must be >= 0, was " + window + " (task '" + name + "')");
        }
        return new Task(name, params, id, attempt, headers, window);
    }

    /** The uniqueness window of a caller-chosen id: the one set with {@link #uniqueFor(Duration)}, or the default. */
    public Duration uniqueFor() {
        return uniqueFor == null ? DEFAULT_UNIQUE_FOR : uniqueFor;
    }

    /** True if the caller chose this task's id ({@link #id(String)}) and it has not been submitted and received yet. */
    public boolean hasChosenId() {
        return id != null && attempt == 0;
    }

    /** Which run this is on the worker side: 1 for the first, 2 for the first retry, …; 0 before submit. */
    public int attempt() {
        return attempt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Task t && t.name.equals(name) && t.params.equals(params)
                && Objects.equals(t.id, id) && t.attempt == attempt && t.headers.equals(headers)
                && Objects.equals(t.uniqueFor, uniqueFor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, params, id, attempt, headers);
    }

    @Override
    public String toString() {
        return "Task{" + name + (id == null ? "" : ", id=" + id + ", attempt=" + attempt) + ", params=" + params
                + (headers.isEmpty() ? "" : ", headers=" + headers) + "}";
    }

    /**
     * Validates a task name by the default rule, the one Redis keys need ({@link io.tasque.broker.Broker#checkQueueName}):
     * the {@linkplain #checkBaseName base rule}, no whitespace, and none of the characters Redis hash tags use
     * ({@code { } }).
     *
     * @return the name
     * @throws IllegalArgumentException naming the value and the rule it breaks
     */
    public static String checkName(String name) {
        checkBaseName(name);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw new IllegalArgumentException("task name '" + name + "' contains whitespace; use [A-Za-z0-9._:-]");
            }
            if (c == '{' || c == '}') {
                throw new IllegalArgumentException("task name '" + name + "' contains '" + c
                        + "', which Redis keys use for hash tags; use [A-Za-z0-9._:-]");
            }
        }
        return name;
    }

    /**
     * Validates a caller-chosen job id by the rule for task names ({@link #checkName}): 1 to {@value #MAX_ID_LENGTH}
     * characters, no control characters, no whitespace, no braces.
     *
     * @return the id
     * @throws IllegalArgumentException naming the value and the rule it breaks
     */
    public static String checkId(String id) {
        checkWord("job id", id, MAX_ID_LENGTH);
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw new IllegalArgumentException("job id '" + id + "' contains whitespace; use [A-Za-z0-9._:-]");
            }
            if (c == '{' || c == '}') {
                throw new IllegalArgumentException("job id '" + id + "' contains '" + c + "'; use [A-Za-z0-9._:-]");
            }
        }
        return id;
    }

    /**
     * Validates a task name by the rule every broker applies: 1 to {@value #MAX_NAME_LENGTH} characters, no control
     * characters. A broker may ask for more ({@link io.tasque.broker.Broker#checkQueueName}).
     *
     * @return the name
     * @throws IllegalArgumentException naming the value and the rule it breaks
     */
    public static String checkBaseName(String name) {
        return checkWord("task name", name, MAX_NAME_LENGTH);
    }

    /** The rule names and ids share: not empty, at most {@code max} characters, no control characters. */
    private static String checkWord(String what, String value, int max) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty; use [A-Za-z0-9._:-]");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(what + " '" + value.substring(0, 32) + "…' is " + value.length()
                    + " characters, over the limit of " + max);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException(what + " '" + printable(value) + "' contains control character U+"
                        + String.format("%04X", (int) c) + " at index " + i + "; use [A-Za-z0-9._:-]");
            }
        }
        return value;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
