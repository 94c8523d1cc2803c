package io.tasque.cli;

import io.tasque.client.DeadLetterSweep;
import io.tasque.client.TasqueAdmin;
import io.tasque.client.TasqueClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * What {@code retry-dead} and {@code delete-dead} share: the task name, either some ids or {@code --all}, the
 * progress bar of a bulk run, and the report (how many were handled, which ids were not there, which failed).
 * Exits with 3 when an id given by name is not in the dead letter (the others are still handled).
 */
abstract class DeadLetterCommand extends BrokerCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The task name (its queue).")
    String name;

    @Parameters(index = "1..*", paramLabel = "ID", description = "Ids of dead jobs.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--all", description = "Every dead job of the task name.")
    boolean all;

    @Option(names = "--progress",
            description = "Draw a progress bar on stderr for --all (drawn anyway when stderr is a terminal).")
    boolean progress;

    /** The verb of the report: "retried" or "deleted". */
    abstract String verb();

    /**
     * Retries or deletes one dead job; records in {@code failures} why a job stays in the dead letter.
     */
    abstract DeadLetterSweep.Result apply(TasqueAdmin admin, String id, Map<String, String> failures);

    @Override
    final void checkArguments() {
        if (all == !ids.isEmpty()) {
            throw new ParameterException(spec.commandLine(), all
                    ? "give either ids or --all, not both"
                    : "give the ids of the dead jobs, or --all");
        }
    }

    @Override
    final int run(TasqueClient client) {
        TasqueAdmin admin = client.admin();
        Map<String, String> failures = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        long done = 0;
        if (all) {
            DeadLetterSweep sweep = new DeadLetterSweep(admin, name);
            long total = sweep.size();
            ProgressBar bar = new ProgressBar(err(), verb() + " " + name, total, progress || cli.stderrIsTerminal());
            done = sweep.run(total, id -> apply(admin, id, failures), bar::step);
            bar.finish();
        } else {
            for (String id : ids) {
                DeadLetterSweep.Result r = apply(admin, id, failures);
                if (r == DeadLetterSweep.Result.DONE) {
                    done++;
                } else if (r == DeadLetterSweep.Result.GONE) {
                    missing.add(id);
                }
            }
        }
        report(done, missing, failures);
        return missing.isEmpty() ? ExitCodes.OK : ExitCodes.UNKNOWN_JOB;
    }

    private void report(long done, List<String> missing, Map<String, String> failures) {
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("name", name);
            doc.put(verb(), done);
            doc.put("missing", missing);
            List<Map<String, String>> failed = new ArrayList<>();
            failures.forEach((id, why) -> failed.add(Map.of("id", id, "error", why)));
            doc.put("failed", failed);
            printJson(doc);
        } else {
            out().println(verb() + " " + done + " dead job" + (done == 1 ? "" : "s") + " of " + name);
        }
        for (String id : missing) {
            err().println("tasque " + spec.name() + ": no dead job " + name + "/" + id);
        }
        failures.forEach((id, why) -> err().println("tasque " + spec.name() + ": " + name + "/" + id + " stays dead: " + why));
    }
}
