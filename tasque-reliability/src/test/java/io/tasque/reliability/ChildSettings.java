package io.tasque.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ChildWorker} process is told on its command line: its name, the broker, the worker settings
 * (short leases so recovery is quick in tests) and the handler's default work. Travels as {@code key=value}
 * arguments; {@link #args()} writes them and {@link #parse(String[])} reads them back.
 */
final class ChildSettings {

    /** The task name (and so the queue) every scenario uses. */
    static final String TASK = "job";

    private final Map<String, String> values = new LinkedHashMap<>();

    private ChildSettings() {
    }

    /** A worker named {@code name} on {@code redisUri}, with the test defaults. */
    static ChildSettings worker(String name, String redisUri) {
        return new ChildSettings()
                .set("name", name)
                .set("uri", redisUri)
                .set("task", TASK)
                .set("concurrency", "4")
                .set("leaseMs", "2000")
                .set("heartbeatMs", "500")
                .set("janitorMs", "500")
                .set("commandTimeoutMs", "1000")
                .set("maxAttempts", "10")
                .set("retryInitialMs", "200")
                .set("sleepMs", "0")
                .set("journal", "true")
                .set("failEvery", "0");
    }

    static ChildSettings parse(String[] args) {
        ChildSettings s = new ChildSettings();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("argument '" + arg + "' is not key=value");
            }
            s.values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return s;
    }

    List<String> args() {
        List<String> out = new ArrayList<>();
        values.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /** A copy under another name, for a replacement of a killed worker. */
    ChildSettings named(String name) {
        ChildSettings copy = new ChildSettings();
        copy.values.putAll(values);
        return copy.set("name", name);
    }

    /** The task name (and queue) this worker handles; {@link #TASK} by default. */
    ChildSettings task(String name) {
        return set("task", name);
    }

    /** Several task names (and queues) this worker handles alike, as on a Redis Cluster with queues on every master. */
    ChildSettings tasks(List<String> names) {
        return set("task", String.join(",", names));
    }

    /**
     * The plain {@code redis://} of the Redis that holds the {@link Ledger}, when the broker URI names no single
     * Redis (a {@code redis-cluster://}); the broker URI by default.
     */
    ChildSettings ledger(String redisUri) {
        return set("ledger", redisUri);
    }

    ChildSettings concurrency(int n) {
        return set("concurrency", Integer.toString(n));
    }

    ChildSettings maxAttempts(int n) {
        return set("maxAttempts", Integer.toString(n));
    }

    /** How long every run works before it returns, unless the task says otherwise. */
    ChildSettings sleep(Duration d) {
        return set("sleepMs", Long.toString(d.toMillis()));
    }

    /** How long a leased job stays leased without a heartbeat (2 s by default here, for quick recovery). */
    ChildSettings lease(Duration d) {
        return set("leaseMs", Long.toString(d.toMillis()));
    }

    /** The handler timeout (none unless set): a run past it is interrupted, and declared stuck if it ignores that. */
    ChildSettings timeout(Duration d) {
        return set("timeoutMs", Long.toString(d.toMillis()));
    }

    /** The handler timeout, or null when none was set. */
    Duration timeout() {
        String v = values.get("timeoutMs");
        return v == null ? null : Duration.ofMillis(Long.parseLong(v));
    }

    /** Whether each start and completion is also appended to the ledger's event list (off for big soaks). */
    ChildSettings journal(boolean on) {
        return set("journal", Boolean.toString(on));
    }

    /** Every {@code n}th reserve and ack call of the worker's broker throws ({@link FaultyBroker}); 0 = never. */
    ChildSettings failEvery(int n) {
        return set("failEvery", Integer.toString(n));
    }

    /**
     * Limits of the task's queue, in the worker's handler options: {@code rateLimit} ({@code permits} per
     * {@code perMillis}, for the queue or, with {@code param}, per value of it) and {@code maxRunning} (0 = none).
     */
    ChildSettings limits(int permits, long perMillis, String param, int maxRunning) {
        set("ratePermits", Integer.toString(permits));
        set("ratePerMs", Long.toString(perMillis));
        set("rateParam", param == null ? "" : param);
        return set("maxRunning", Integer.toString(maxRunning));
    }

    /** The handler options the limits above give, on top of {@code base}. */
    io.tasque.worker.HandlerOptions.Builder limitOptions(io.tasque.worker.HandlerOptions.Builder base) {
        int permits = Integer.parseInt(values.getOrDefault("ratePermits", "0"));
        if (permits > 0) {
            Duration per = Duration.ofMillis(Long.parseLong(values.get("ratePerMs")));
            String param = values.getOrDefault("rateParam", "");
            if (param.isEmpty()) {
                base.rateLimit(permits, per);
            } else {
                base.rateLimitBy(param, permits, per);
            }
        }
        int max = Integer.parseInt(values.getOrDefault("maxRunning", "0"));
        if (max > 0) {
            base.maxRunning(max);
        }
        return base;
    }

    /** Whether each run's handler start and end times (epoch ms) go to the ledger ({@link Ledger#spans()}). */
    ChildSettings timing(boolean on) {
        return set("timing", Boolean.toString(on));
    }

    boolean timing() {
        return Boolean.parseBoolean(values.getOrDefault("timing", "false"));
    }

    int failEvery() {
        String v = values.get("failEvery");
        return v == null ? 0 : Integer.parseInt(v);
    }

    String name() {
        return get("name");
    }

    String redisUri() {
        return get("uri");
    }

    String task() {
        return get("task");
    }

    /**
     * Makes the worker halt (as a SIGKILL would end it) right after it wins its first claim of a schedule tick,
     * before it stores the tick's job (see {@link ClaimHalt}).
     */
    ChildSettings haltAfterClaim() {
        return set("haltAfterClaim", "true");
    }

    boolean haltsAfterClaim() {
        return Boolean.parseBoolean(values.getOrDefault("haltAfterClaim", "false"));
    }

    /** The task names this worker handles: {@link #task()}, split at commas. */
    List<String> tasks() {
        return List.of(task().split(","));
    }

    String ledgerUri() {
        return values.getOrDefault("ledger", redisUri());
    }

    int concurrency() {
        return Integer.parseInt(get("concurrency"));
    }

    Duration lease() {
        return millis("leaseMs");
    }

    Duration heartbeat() {
        return millis("heartbeatMs");
    }

    Duration janitorInterval() {
        return millis("janitorMs");
    }

    Duration commandTimeout() {
        return millis("commandTimeoutMs");
    }

    int maxAttempts() {
        return Integer.parseInt(get("maxAttempts"));
    }

    Duration retryInitial() {
        return millis("retryInitialMs");
    }

    long sleepMillis() {
        return Long.parseLong(get("sleepMs"));
    }

    boolean journal() {
        return Boolean.parseBoolean(get("journal"));
    }

    private ChildSettings set(String key, String value) {
        values.put(key, value);
        return this;
    }

    private String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing argument " + key + "=…; have " + values.keySet());
        }
        return v;
    }

    private Duration millis(String key) {
        return Duration.ofMillis(Long.parseLong(get(key)));
    }

    @Override
    public String toString() {
        return String.join(" ", args());
    }
}
