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
 * The run's figures and their two printed forms: the one-line {@code RESULT|…} record the peer kit collects
 * (also appended to {@code $PEERS_RESULT_FILE} when that is set), and a small aligned table with the peer
 * kit's columns followed by the idle-cost and memory lines.
 */
record ResultTable(String system, PhaseResult enqueue, PhaseResult enqueueBulk, PhaseResult process10,
                   PhaseResult process50, PhaseResult endToEnd, Scenarios.Latency latency, IdleCost.Result idle,
                   MemoryCost.Result memory, String notes) {

    private static final String[] HEADER = {"system", "enqueue jobs/s (one-by-one / bulk)", "process jobs/s (c=10)",
        "process jobs/s (c=50)", "end-to-end jobs/s", "p50/p99 latency ms"};

    /** {@code RESULT|system|enq|bulk|c10|c50|e2e|p50|p99|notes}, rates as whole numbers, latencies in ms. */
    String resultLine() {
        return String.join("|", "RESULT", clean(system), Numbers.whole(enqueue.rate()),
                Numbers.whole(enqueueBulk.rate()), Numbers.whole(process10.rate()), Numbers.whole(process50.rate()),
                Numbers.whole(endToEnd.rate()), Numbers.ms(latency.p50()), Numbers.ms(latency.p99()),
                clean(notes + timeouts()));
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

    /** The table with the peer columns, then the idle-cost and memory lines. */
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
        lines.add(String.format(Locale.ROOT, "latency max: %s ms (%d/%d jobs)", Numbers.ms(latency.max()),
                latency.done(), latency.total()));
        lines.add(String.format(Locale.ROOT, "idle cost: %.2f commands/s incl. Lua-internal (Worker with %d handlers, empty Redis, %.1f s): %s",
                idle.commandsPerSecond(), IdleCost.HANDLERS, idle.seconds(),
                idle.perCommand().isEmpty() ? "none" : idle.breakdown()));
        lines.add(String.format(Locale.ROOT, "memory: %.1f bytes per queued job (%d jobs); payload %d bytes,"
                        + " %.1f bytes above the payload%s", memory.bytesPerJob(), memory.jobs(), memory.payloadBytes(),
                memory.abovePayload(), memory.timedOut() ? " (TIMEOUT)" : ""));
        return String.join("\n", lines);
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
