package io.tasque.cli;

import io.tasque.client.JobInfo;
import io.tasque.client.JobState;
import io.tasque.client.TasqueClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tasque jobs <name>}: the jobs of one task name, in one state or in all of them. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "Lists jobs of one task name: in one state, or in every state (ready, delayed, running, succeeded, dead, cancelled).")
final class JobsCommand extends BrokerCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The task name (its queue).")
    String name;

    @Option(names = "--state", paramLabel = "STATE",
            description = "Only jobs in this state: ${COMPLETION-CANDIDATES} (default: every state).")
    JobState state;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "At most N jobs in all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    void checkArguments() {
        Limits.checkLimit(spec.commandLine(), limit);
    }

    @Override
    int run(TasqueClient client) {
        List<JobInfo> jobs = new ArrayList<>();
        for (JobState s : state == null ? JobState.values() : new JobState[] {state}) {
            if (jobs.size() >= limit) {
                break;
            }
            jobs.addAll(client.admin().jobs(name, s, limit - jobs.size()));
        }
        if (json) {
            List<Map<String, Object>> doc = new ArrayList<>();
            for (JobInfo j : jobs) {
                doc.add(Json.job(j));
            }
            printJson(doc);
            return ExitCodes.OK;
        }
        Table t = new Table("ID", "STATE", "ATTEMPT", "AT", "PARAMS", "LAST ERROR");
        for (JobInfo j : jobs) {
            t.row(j.id(), j.state(), j.attempt(), j.at(), Json.write(j.params()), j.lastError());
        }
        t.print(out());
        return ExitCodes.OK;
    }
}
