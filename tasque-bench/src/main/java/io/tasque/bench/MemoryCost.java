package io.tasque.bench;

import io.tasque.Task;
import io.tasque.broker.BrokerOptions;
import io.tasque.client.TasqueClient;
import java.util.Collections;
import java.util.List;

/**
 * What a queued job costs in Redis memory: {@code used_memory} on an emptied Redis, then after
 * {@code submitAll} of many small jobs; the growth per job, the stored size of one job's payload (read back
 * from the queue's jobs hash), and the bytes per job above that payload (ids, list and hash overhead).
 */
final class MemoryCost {

    /** The queue the jobs go to. */
    static final String TASK = "mem";
    /** Tasks per {@code submitAll} call; the client sends them in round trips of its batch size. */
    private static final int CHUNK = 10_000;

    private final RedisTarget redis;
    private final TasqueClient client;

    MemoryCost(RedisTarget redis, TasqueClient client) {
        this.redis = redis;
        this.client = client;
    }

    /** Bytes per queued job and how they split; {@code jobs} is how many were stored. */
    record Result(long jobs, double bytesPerJob, long payloadBytes, double seconds, boolean timedOut) {

        double abovePayload() {
            return bytesPerJob - payloadBytes;
        }
    }

    Result measure(int n, long timeoutNanos) {
        redis.flush();
        Task task = Task.of(TASK).set("text", "hello world");
        try (RedisStats stats = new RedisStats(redis.connect())) {
            long before = stats.usedMemory();
            long start = System.nanoTime();
            long deadline = start + timeoutNanos;
            long stored = 0;
            String oneId = null;
            while (stored < n && System.nanoTime() < deadline) {
                int size = (int) Math.min(CHUNK, n - stored);
                List<String> ids = client.submitAll(Collections.nCopies(size, task));
                stored += ids.size();
                if (oneId == null && !ids.isEmpty()) {
                    oneId = ids.get(0);
                }
            }
            double secs = (System.nanoTime() - start) / 1e9;
            long after = stats.usedMemory();
            long payload = oneId == null ? -1
                    : stats.hashValueBytes(BrokerOptions.DEFAULT_KEY_PREFIX + ":{" + TASK + "}:jobs", oneId);
            Result r = new Result(stored, stored == 0 ? Double.NaN : (after - before) / (double) stored, payload,
                    secs, stored < n);
            Progress.line("memory: %d jobs submitAll'd in %.2f s; used_memory %d -> %d bytes = %.1f bytes per queued job;"
                            + " payload of one job %d bytes, %.1f bytes above the payload%s", stored, secs, before, after,
                    r.bytesPerJob(), payload, r.abovePayload(), r.timedOut() ? " (TIMEOUT)" : "");
            redis.flush();
            return r;
        }
    }
}
