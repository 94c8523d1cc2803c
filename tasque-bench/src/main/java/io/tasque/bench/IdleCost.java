package io.tasque.bench;

import io.tasque.worker.TaskHandler;
import io.tasque.worker.Worker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What an idle worker costs Redis: a worker with ten handlers on an empty Redis, left alone after a settle
 * second; the commands Redis executed in the window (sum of {@code calls=} over {@code INFO commandstats})
 * per second, less the calls the measuring itself adds; that overhead is calibrated first by taking two
 * snapshots back to back with no worker running. Redis counts the commands a Lua script runs as well as the
 * EVALSHA that ran it, so this is Redis work per second rather than round trips per second.
 */
final class IdleCost {

    static final int HANDLERS = 10;
    private static final long SETTLE_MS = 1_000;

    private final RedisTarget redis;

    IdleCost(RedisTarget redis) {
        this.redis = redis;
    }

    /** Commands per second, with the calls per command seen in the window (measuring calls removed). */
    record Result(double commandsPerSecond, double seconds, Map<String, Long> perCommand) {

        String breakdown() {
            return perCommand.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "));
        }
    }

    Result measure(int seconds) throws InterruptedException {
        redis.flush();
        try (RedisStats stats = new RedisStats(redis.connect())) {
            RedisStats.CommandCounts first = stats.commandCounts();
            Map<String, Long> overhead = stats.commandCounts().since(first);
            Map<String, TaskHandler> handlers = new LinkedHashMap<>();
            for (int i = 0; i < HANDLERS; i++) {
                handlers.put("idle" + i, task -> { });
            }
            RedisStats.CommandCounts before;
            RedisStats.CommandCounts after;
            long start;
            long end;
            Worker worker = Workers.of(redis.uri(), Worker.DEFAULT_CONCURRENCY, handlers).start();
            try {
                Thread.sleep(SETTLE_MS);
                before = stats.commandCounts();
                start = System.nanoTime();
                Thread.sleep(seconds * 1_000L);
                after = stats.commandCounts();
                end = System.nanoTime();
            } finally {
                worker.close();
            }
            Map<String, Long> window = new LinkedHashMap<>(after.since(before));
            overhead.forEach((cmd, n) -> window.computeIfPresent(cmd, (k, v) -> v - n == 0 ? null : v - n));
            long total = window.values().stream().mapToLong(Long::longValue).sum();
            double secs = (end - start) / 1e9;
            Result r = new Result(total / secs, secs, window);
            Progress.line("idle cost: Worker with %d handlers on an empty Redis, %.1f s after a %d ms settle: %d commands"
                            + " = %.2f commands/s (%s; commands run inside Lua scripts count too)", HANDLERS, secs,
                    SETTLE_MS, total, r.commandsPerSecond(), window.isEmpty() ? "none" : r.breakdown());
            return r;
        }
    }
}
