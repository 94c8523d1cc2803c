package io.tasque.cli;

import io.tasque.client.QueueCounts;
import io.tasque.client.QueueTotals;
import io.tasque.client.TasqueAdmin;
import io.tasque.client.TasqueClient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tasque stats}: every queue with its ready, delayed, running and dead counts, its completed and failed runs,
 * and its rate: the runs completed per second while the command watched ({@code --interval}, 1 s by default).
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Every queue with its counts: ready, delayed, running, dead; the runs completed and failed so far;",
            "and RATE, the runs completed per second over --interval (- where the broker keeps no count, e.g. Disque)."})
final class StatsCommand extends BrokerCommand {

    @Option(names = "--interval", paramLabel = "D", defaultValue = "1s", converter = DurationConverter.class,
            description = "How long to watch the completed runs for RATE, e.g. 1s, 500ms, 10s; 0 for no rate (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Override
    int run(TasqueClient client) {
        TasqueAdmin admin = client.admin();
        // a queue that runs empty drops out of the broker's list: one listed at the start keeps its row
        TreeSet<String> names = new TreeSet<>(admin.queues());
        Map<String, Optional<QueueTotals>> before = totals(admin, names);
        long start = System.nanoTime();
        if (!interval.isZero()) {
            pause(interval);
        }
        Map<String, QueueCounts> counts = new LinkedHashMap<>();
        for (QueueCounts c : admin.stats()) {
            counts.put(c.name(), c);
        }
        names.addAll(counts.keySet());
        Map<String, Optional<QueueTotals>> after = totals(admin, names);
        double seconds = (System.nanoTime() - start) / 1e9;

        List<Map<String, Object>> doc = new ArrayList<>();
        Table t = new Table("NAME", "READY", "DELAYED", "RUNNING", "DEAD", "COMPLETED", "FAILED", "RATE");
        for (String name : names) {
            QueueCounts c = counts.getOrDefault(name, new QueueCounts(name, 0, 0, 0, 0));
            QueueTotals now = after.get(name).orElse(null);
            QueueTotals then = before.getOrDefault(name, Optional.empty()).orElse(null);
            // one decimal: 12.3 runs a second; a count that went down (its key deleted) reads as 0
            BigDecimal rate = interval.isZero() || now == null || then == null ? null
                    : BigDecimal.valueOf(Math.max(0, now.completed() - then.completed()) / seconds).setScale(1, RoundingMode.HALF_UP);
            Map<String, Object> m = Json.counts(c);
            m.put("completed", now == null ? null : now.completed());
            m.put("failed", now == null ? null : now.failed());
            m.put("rate", rate);
            doc.add(m);
            t.row(c.name(), c.ready(), c.delayed(), c.running(), c.dead(), now == null ? null : now.completed(),
                    now == null ? null : now.failed(), rate);
        }
        if (json) {
            printJson(doc);
        } else {
            t.print(out());
        }
        return ExitCodes.OK;
    }

    private static Map<String, Optional<QueueTotals>> totals(TasqueAdmin admin, Iterable<String> names) {
        Map<String, Optional<QueueTotals>> out = new LinkedHashMap<>();
        for (String name : names) {
            out.put(name, admin.totals(name));
        }
        return out;
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
