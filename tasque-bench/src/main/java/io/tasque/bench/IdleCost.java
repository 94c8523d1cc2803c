package io.tasque.bench;

import io.tasque.worker.TaskHandler;
import io.tasque.worker.Worker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What an idle worker costs Redis: a worker with ten handlers on an empty Redis, left alone after a settle
 * second, watched through a {@code MONITOR} connection for a window bounded by the server clock. Each
 * MONITOR line is one command; a line from a client that was connected before the worker started (this
 * benchmark's own connections) is left out, a line stamped {@code [… lua]} ran inside a script, and every
 * other line is a command the worker sent over the network. The headline figure is the commands sent per
 * second; the commands run inside scripts are counted apart, and {@code INFO commandstats} over the same
 * window (which counts both, less the calls the measuring adds) is kept as a cross-check.
 */
final class IdleCost {

    static final int HANDLERS = 10;
    private static final long SETTLE_MS = 1_000;

    private final RedisTarget redis;

    IdleCost(RedisTarget redis) {
        this.redis = redis;
    }

    /**
     * Commands per command name in the window: sent by the worker, and run inside its scripts; the bench's
     * own lines that were left out; the INFO commandstats total over the window. {@code sent} and
     * {@code inScript} are empty and {@code monitorNote} says why when MONITOR could not be used.
     */
    record Result(double seconds, Map<String, Long> sent, Map<String, Long> inScript, long benchLines,
                  long commandstatsTotal, String monitorNote) {

        boolean monitored() {
            return monitorNote.isEmpty();
        }

        /** Commands the worker sent per second: the headline idle cost; NaN without MONITOR. */
        double sentPerSecond() {
            return monitored() ? sum(sent) / seconds : Double.NaN;
        }

        /** Commands run inside scripts per second; NaN without MONITOR. */
        double inScriptPerSecond() {
            return monitored() ? sum(inScript) / seconds : Double.NaN;
        }

        /** Redis's own count (INFO commandstats) per second: sent plus in-script. */
        double commandstatsPerSecond() {
            return commandstatsTotal / seconds;
        }

        static String breakdown(Map<String, Long> perCommand) {
            if (perCommand.isEmpty()) {
                return "none";
            }
            return perCommand.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "));
        }

        private static long sum(Map<String, Long> perCommand) {
            return perCommand.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    Result measure(int seconds) throws InterruptedException {
        redis.flush();
        try (RedisStats stats = new RedisStats(redis.connect())) {
            Map<String, Long> overhead = measuringOverhead(stats);
            CommandMonitor monitor = null;
            String monitorNote = "";
            try {
                monitor = CommandMonitor.start(redis);
            } catch (IllegalStateException e) {
                monitorNote = e.getMessage();
            }
            Set<String> benchClients = stats.clientAddresses();
            Map<String, TaskHandler> handlers = new LinkedHashMap<>();
            for (int i = 0; i < HANDLERS; i++) {
                handlers.put("idle" + i, task -> { });
            }
            RedisStats.CommandCounts before;
            RedisStats.CommandCounts after;
            long from;
            long to;
            Worker worker = Workers.of(redis.uri(), Worker.DEFAULT_CONCURRENCY, handlers).start();
            try {
                Thread.sleep(SETTLE_MS);
                before = stats.commandCounts();
                from = stats.serverMicros();
                Thread.sleep(seconds * 1_000L);
                to = stats.serverMicros();
                after = stats.commandCounts();
            } finally {
                worker.close();
            }
            Map<String, Long> sent = new TreeMap<>();
            Map<String, Long> inScript = new TreeMap<>();
            long benchLines = 0;
            if (monitor != null) {
                List<MonitorLine> lines = List.of();
                try {
                    boolean complete = monitor.awaitLineAfter(to);
                    lines = monitor.stop();
                    if (!complete) {
                        monitorNote = "MONITOR lines stopped arriving before the end of the window";
                    }
                } catch (IllegalStateException e) {
                    monitorNote = e.getMessage();
                }
                for (MonitorLine line : lines) {
                    if (line.micros() < from || line.micros() >= to) {
                        continue;
                    }
                    if (line.inScript()) {
                        inScript.merge(line.command(), 1L, Long::sum);
                    } else if (benchClients.contains(line.client())) {
                        benchLines++;
                    } else {
                        sent.merge(line.command(), 1L, Long::sum);
                    }
                }
            }
            Map<String, Long> counted = new TreeMap<>(after.since(before));
            overhead.forEach((cmd, n) -> counted.computeIfPresent(cmd, (k, v) -> v - n == 0 ? null : v - n));
            long commandstats = counted.values().stream().mapToLong(Long::longValue).sum();
            Result r = new Result((to - from) / 1e6, sent, inScript, benchLines, commandstats, monitorNote);
            report(r);
            return r;
        }
    }

    /** What one INFO + TIME + TIME + INFO sequence adds to the commandstats counters (the window takes the same). */
    private static Map<String, Long> measuringOverhead(RedisStats stats) {
        RedisStats.CommandCounts first = stats.commandCounts();
        stats.serverMicros();
        stats.serverMicros();
        return stats.commandCounts().since(first);
    }

    private static void report(Result r) {
        if (r.monitored()) {
            Progress.line("idle cost: Worker with %d handlers on an empty Redis, %.1f s after a %d ms settle, seen with"
                            + " MONITOR: sent %.2f commands/s (%s); inside scripts %.2f commands/s (%s); %d line(s) of the"
                            + " bench's own connections left out", HANDLERS, r.seconds(), SETTLE_MS, r.sentPerSecond(),
                    Result.breakdown(r.sent()), r.inScriptPerSecond(), Result.breakdown(r.inScript()), r.benchLines());
        } else {
            Progress.line("idle cost: MONITOR not available (%s); only INFO commandstats below", r.monitorNote());
        }
        Progress.line("idle cost cross-check: INFO commandstats over the same window %.2f commands/s"
                + " (counts sent and in-script alike; the measuring calls removed)", r.commandstatsPerSecond());
    }
}
