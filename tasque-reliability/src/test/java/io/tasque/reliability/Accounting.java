package io.tasque.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tasque.client.QueueCounts;
import io.tasque.client.DeadTask;
import io.tasque.client.TasqueAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Accounts for every submitted job at the end of a scenario: completed (its handler returned at least once),
 * duplicates (extra completed runs, which at-least-once allows), dead (in the dead letter), lost (neither) —
 * and prints that as one line, {@code submitted=N completed=N duplicates=N dead=N lost=N}, also appended to
 * {@code target/reliability/accounting.txt} for the reliability report.
 */
final class Accounting {

    private static final Path REPORT = Path.of("target", "reliability", "accounting.txt");

    private final String scenario;
    private final int submitted;
    private final int completed;
    private final long duplicates;
    private final int dead;
    private final Set<String> lostIds;
    private final int completedUnsubmitted;
    private final Ledger ledger;

    private Accounting(String scenario, Collection<String> ids, Map<String, Integer> runs, Set<String> deadIds, Ledger ledger) {
        this.scenario = scenario;
        this.ledger = ledger;
        Set<String> submittedIds = new HashSet<>(ids);
        this.submitted = submittedIds.size();
        int done = 0;
        long extra = 0;
        int deadCount = 0;
        Set<String> lost = new HashSet<>();
        for (String id : submittedIds) {
            Integer n = runs.get(id);
            boolean isDead = deadIds.contains(id);
            if (n != null && n > 0) {
                done++;
                extra += n - 1;
            }
            if (isDead) {
                deadCount++;
            }
            if ((n == null || n == 0) && !isDead) {
                lost.add(id);
            }
        }
        this.completed = done;
        this.duplicates = extra;
        this.dead = deadCount;
        this.lostIds = lost;
        this.completedUnsubmitted = (int) runs.keySet().stream().filter(id -> !submittedIds.contains(id)).count();
    }

    /** Counts now, without waiting. */
    static Accounting count(String scenario, Collection<String> ids, Ledger ledger, TasqueAdmin admin) {
        return new Accounting(scenario, ids, ledger.completions(), deadIds(admin), ledger);
    }

    /** Counts what {@code runs} and {@code deadIds} say now, for scenarios that gather them themselves. */
    static Accounting of(String scenario, Collection<String> ids, Map<String, Integer> runs, Set<String> deadIds) {
        return new Accounting(scenario, ids, runs, deadIds, null);
    }

    /**
     * Waits (at most {@code atMost}) until the queue is empty and nothing is leased or waiting for a retry,
     * and every submitted job is accounted for; then counts. On timeout it counts anyway, so the line shows
     * what was lost.
     */
    static Accounting settle(String scenario, Collection<String> ids, Ledger ledger, TasqueAdmin admin, Duration atMost) {
        return settle(scenario, ids, ledger::completions, ledger, admin, atMost);
    }

    /** Like {@link #settle(String, Collection, Ledger, TasqueAdmin, Duration)}, for runs counted in this JVM. */
    static Accounting settle(String scenario, Collection<String> ids, Supplier<Map<String, Integer>> runs, TasqueAdmin admin,
                             Duration atMost) {
        return settle(scenario, ids, runs, null, admin, atMost);
    }

    private static Accounting settle(String scenario, Collection<String> ids, Supplier<Map<String, Integer>> runs, Ledger ledger,
                                     TasqueAdmin admin, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline && !drained(admin.stats(ChildSettings.TASK))) {
            pause(Duration.ofMillis(250));
        }
        Accounting a = new Accounting(scenario, ids, runs.get(), deadIds(admin), ledger);
        while (a.lost() > 0 && System.nanoTime() < deadline) {
            pause(Duration.ofSeconds(1));
            a = new Accounting(scenario, ids, runs.get(), deadIds(admin), ledger);
        }
        return a;
    }

    private static boolean drained(QueueCounts s) {
        return s.ready() == 0 && s.delayed() == 0 && s.running() == 0;
    }

    static Set<String> deadIds(TasqueAdmin admin) {
        Set<String> out = new HashSet<>();
        for (int offset = 0; ; offset += 10_000) {
            List<DeadTask> page = admin.deadTasks(ChildSettings.TASK, offset, 10_000);
            page.forEach(d -> out.add(d.id()));
            if (page.size() < 10_000) {
                return out;
            }
        }
    }

    int submitted() {
        return submitted;
    }

    int completed() {
        return completed;
    }

    long duplicates() {
        return duplicates;
    }

    int dead() {
        return dead;
    }

    int lost() {
        return lostIds.size();
    }

    /** Jobs that completed although no submit returned their id (a submit that timed out after Redis stored it). */
    int completedUnsubmitted() {
        return completedUnsubmitted;
    }

    String line() {
        return "submitted=" + submitted + " completed=" + completed + " duplicates=" + duplicates
                + " dead=" + dead + " lost=" + lost();
    }

    /** Prints the line (with the scenario's name) and appends it to the report file. */
    Accounting print() {
        String text = scenario + ": " + line();
        System.out.println(text);
        report(text);
        return this;
    }

    /** Appends one line to {@code target/reliability/accounting.txt}. */
    static void report(String text) {
        try {
            Files.createDirectories(REPORT.getParent());
            Files.writeString(REPORT, text + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** lost must be 0; the failure names the first lost jobs and where tasque's keys have them. */
    Accounting assertNothingLost() {
        assertEquals(0, lost(), () -> line() + "; lost jobs and their state: " + describeLost());
        return this;
    }

    Accounting assertNoneDead() {
        assertEquals(0, dead, () -> line() + "; no job of this scenario should have been dead-lettered");
        return this;
    }

    private String describeLost() {
        return lostIds.stream().limit(10).map(id -> ledger == null ? id : id + " " + TasqueKeys.describe(ledger, id))
                .collect(Collectors.joining(", "));
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while settling", e);
        }
    }
}
