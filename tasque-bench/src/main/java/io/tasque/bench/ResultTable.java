package io.tasque.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run's figures and their printed forms: the one-line {@code RESULT|…} record the peer kit collects
 * (also appended to {@code $PEERS_RESULT_FILE} when that is set), a small aligned table with the peer
 * kit's columns followed by the lines only tasque reports (latency at the issue's rate, idle cost sent and
 * in scripts, memory per job, heap over a long run), one {@code LATENCY|…} line per latency phase, and the
 * chart row.
 */
record ResultTable(String system, PhaseResult enqueue, PhaseResult enqueueBulk, PhaseResult process10,
                   PhaseResult process50, PhaseResult endToEnd, Scenarios.Latency latency,
                   Scenarios.Latency latency2, Scenarios.Latency latencyIssue, IdleCost.Result idle, MemoryCost.Result memory, HeapRun.Result heap,
                   String notes) {

    /** The issue's idle-cost target: commands per second an idle worker with ten handlers sends. */
    static final double IDLE_TARGET = 2;
    /** The issue's latency targets at 1000 jobs/s, in milliseconds. */
    static final double P50_TARGET_MS = 0.5;
    static final double P99_TARGET_MS = 2;
    /** The issue's targets from the scheduled send at 1000 jobs/s, in milliseconds. */
    static final double SCHEDULED_P99_TARGET_MS = 1;
    static final double SCHEDULED_P999_TARGET_MS = 3;

    private static final String[] HEADER = {"system", "enqueue jobs/s (one-by-one / bulk)", "process jobs/s (c=10)",
        "process jobs/s (c=50)", "end-to-end jobs/s", "p50/p99 latency ms"};

    /** {@code RESULT|system|enq|bulk|c10|c50|e2e|p50|p99|notes}, rates as whole numbers, latencies in ms. */
    String resultLine() {
        return String.join("|", "RESULT", clean(system), Numbers.whole(enqueue.rate()),
                Numbers.whole(enqueueBulk.rate()), Numbers.whole(process10.rate()), Numbers.whole(process50.rate()),
                Numbers.whole(endToEnd.rate()), Numbers.ms(latency.p50()), Numbers.ms(latency.p99()),
                clean(notes + timeouts()));
    }

    /**
     * One line per latency phase, {@code LATENCY|system|rate|concurrency|warmup|done/total|sched|p50|p99|p99.9|max|
     * submit|p50|p99|p99.9|max}: the handler start's delay in ms from the scheduled send, then from the submit call.
     */
    List<String> latencyLines() {
        List<String> lines = new ArrayList<>();
        for (Scenarios.Latency l : new Scenarios.Latency[] {latency, latency2, latencyIssue}) {
            lines.add(latencyLine(system, l));
        }
        return lines;
    }

    static String latencyLine(String system, Scenarios.Latency l) {
        return String.join("|", "LATENCY", clean(system), Integer.toString(l.rate()), Integer.toString(l.concurrency()),
                Integer.toString(l.warmup()), l.done() + "/" + l.total() + (l.timedOut() ? " (TIMEOUT)" : ""),
                "sched", l.fromScheduled().fields(), "submit", l.fromSubmit().fields());
    }

    /** The issue-setup line with its verdict on the targets from the scheduled send. */
    static String issueLine(Scenarios.Latency l) {
        boolean met = l.fromScheduled().p99() <= SCHEDULED_P99_TARGET_MS
                && l.fromScheduled().p999() <= SCHEDULED_P999_TARGET_MS;
        return String.format(Locale.ROOT, "latency as in the issue (%d jobs/s, one thread, Worker(concurrency %d),"
                        + " %d warm-up): %s (%d/%d jobs%s); target from the scheduled send p99 <= %.0f ms, p99.9 <= %.0f"
                        + " ms: %s", l.rate(), l.concurrency(), l.warmup(), l.describe(), l.done(), l.total(),
                l.timedOut() ? ", TIMEOUT" : "", SCHEDULED_P99_TARGET_MS, SCHEDULED_P999_TARGET_MS, verdict(met));
    }

    /** Appends the RESULT line to {@code file}; a failure is reported on stderr and otherwise ignored. */
    void appendTo(String file) {
        try {
            Files.writeString(Path.of(file), resultLine() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot append the RESULT line to " + file + ": " + e);
        }
    }

    /** The table with the peer columns, then latency at LAT2_RATE, idle cost, memory and heap lines. */
    String table() {
        String[] row = {system,
            Numbers.compact(enqueue.rate()) + " / " + Numbers.compact(enqueueBulk.rate()),
            Numbers.compact(process10.rate()), Numbers.compact(process50.rate()), Numbers.compact(endToEnd.rate()),
            Numbers.ms(latency.p50()) + " / " + Numbers.ms(latency.p99())};
        int[] width = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            width[i] = Math.max(HEADER[i].length(), row[i].length());
        }
        List<String> lines = new ArrayList<>();
        lines.add(joinPadded(HEADER, width));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
        }
        lines.add(rule.toString());
        lines.add(joinPadded(row, width));
        lines.add("");
        lines.add(String.format(Locale.ROOT, "latency @ %d jobs/s (the table's): max %s ms (%d/%d jobs)", latency.rate(),
                Numbers.ms(latency.max()), latency.done(), latency.total()));
        lines.add(String.format(Locale.ROOT, "latency @ %d jobs/s: p50 %s ms, p99 %s ms, max %s ms (%d/%d jobs%s);"
                        + " target p50 <= %.1f ms, p99 <= %.0f ms at 1000 jobs/s: %s", latency2.rate(),
                Numbers.ms(latency2.p50()), Numbers.ms(latency2.p99()), Numbers.ms(latency2.max()), latency2.done(),
                latency2.total(), latency2.timedOut() ? ", TIMEOUT" : "", P50_TARGET_MS, P99_TARGET_MS,
                latency2.rate() != 1000 ? "not checked at this rate"
                        : verdict(latency2.p50() <= P50_TARGET_MS && latency2.p99() <= P99_TARGET_MS)));
        lines.add(String.format(Locale.ROOT, "latency @ %d jobs/s: %s", latency2.rate(), latency2.describe()));
        lines.add(issueLine(latencyIssue));
        if (idle.monitored()) {
            lines.add(String.format(Locale.ROOT, "idle cost (sent): %.2f commands/s sent by a Worker with %d handlers on an"
                            + " empty Redis over %.1f s (MONITOR); target <= %.0f: %s; %s", idle.sentPerSecond(),
                    IdleCost.HANDLERS, idle.seconds(), IDLE_TARGET, verdict(idle.sentPerSecond() <= IDLE_TARGET),
                    IdleCost.Result.breakdown(idle.sent())));
            lines.add(String.format(Locale.ROOT, "idle cost (in scripts): %.2f commands/s run inside its Lua scripts; %s",
                    idle.inScriptPerSecond(), IdleCost.Result.breakdown(idle.inScript())));
        } else {
            lines.add("idle cost (sent): - (MONITOR not available: " + idle.monitorNote() + ")");
        }
        lines.add(String.format(Locale.ROOT, "idle cost (INFO commandstats, sent + in scripts): %.2f commands/s",
                idle.commandstatsPerSecond()));
        lines.add(String.format(Locale.ROOT, "memory: %.1f bytes per queued job (%d jobs); payload %d bytes,"
                        + " %.1f bytes above the payload%s", memory.bytesPerJob(), memory.jobs(), memory.payloadBytes(),
                memory.abovePayload(), memory.timedOut() ? " (TIMEOUT)" : ""));
        lines.add(String.format(Locale.ROOT, "heap: %d jobs at %s jobs/s (submitAll(%d) + Worker(concurrency %d))%s",
                heap.phase().done(), Numbers.whole(heap.phase().rate()), HeapRun.CHUNK, HeapRun.CONCURRENCY,
                heap.phase().timedOut() ? " (TIMEOUT)" : ""));
        for (String detail : HeapRun.details(heap)) {
            lines.add("  " + detail);
        }
        return String.join("\n", lines);
    }

    /** The row this run adds to the chart: its five jobs/s columns. */
    PeerResults.Row chartRow() {
        return new PeerResults.Row(system, new double[] {enqueue.rate(), enqueueBulk.rate(), process10.rate(),
            process50.rate(), endToEnd.rate()});
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT met";
    }

    private String timeouts() {
        List<String> over = new ArrayList<>();
        if (enqueue.timedOut()) {
            over.add("enqueue");
        }
        if (enqueueBulk.timedOut()) {
            over.add("bulk");
        }
        if (process10.timedOut()) {
            over.add("c=10");
        }
        if (process50.timedOut()) {
            over.add("c=50");
        }
        if (endToEnd.timedOut()) {
            over.add("end-to-end");
        }
        if (latency.timedOut()) {
            over.add("latency");
        }
        return over.isEmpty() ? "" : "; (TIMEOUT) partial rates in: " + String.join(", ", over);
    }

    private static String joinPadded(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append(" | ");
            }
            b.append(i == cells.length - 1 ? cells[i] : pad(cells[i], width[i]));
        }
        return b.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** The RESULT line is split on '|', so no field may contain one. */
    private static String clean(String s) {
        return s.replace('|', '/').replace('\n', ' ');
    }
}
