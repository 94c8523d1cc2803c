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
        // the queues that hold jobs or that live workers serve; one listed at the start keeps its row
        TreeSet<String> names = new TreeSet<>(admin.queuesInUse());
        Map<String, Optional<QueueTotals>> before = totals(admin, names);
        long start = System.nanoTime();
        if (!interval.isZero()) {
            pause(interval);
        }
        Map<String, Optional<QueueTotals>> after = totals(admin, names);
        double seconds = (System.nanoTime() - start) / 1e9;
        for (String name : admin.queuesInUse()) {
            if (names.add(name)) {
                after.put(name, admin.totals(name));   // new meanwhile: totals, but no rate
            }
        }
        Map<String, QueueCounts> counts = new LinkedHashMap<>();
        for (String name : names) {
            counts.put(name, admin.stats(name));
        }

        List<Map<String, Object>> doc = new ArrayList<>();
        Table t = new Table("NAME", "READY", "DELAYED", "RUNNING", "DEAD", "COMPLETED", "FAILED", "RATE");
        for (String name : names) {
            QueueCounts c = counts.get(name);
            QueueTotals totals = after.get(name).orElse(null);
            QueueTotals then = before.getOrDefault(name, Optional.empty()).orElse(null);
            // one decimal: 12.3 runs a second; a count that went down (its key deleted) reads as 0
            BigDecimal rate = interval.isZero() || totals == null || then == null ? null
                    : BigDecimal.valueOf(Math.max(0, totals.completed() - then.completed()) / seconds).setScale(1, RoundingMode.HALF_UP);
            Map<String, Object> m = Json.counts(c);
            m.put("completed", totals == null ? null : totals.completed());
            m.put("failed", totals == null ? null : totals.failed());
            m.put("rate", rate);
            doc.add(m);
            t.row(c.name(), c.ready(), c.delayed(), c.running(), c.dead(), totals == null ? null : totals.completed(),
                    totals == null ? null : totals.failed(), rate);
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
