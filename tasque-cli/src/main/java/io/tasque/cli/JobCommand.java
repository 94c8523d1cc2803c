package io.tasque.cli;

import io.tasque.client.JobInfo;
import io.tasque.client.TasqueClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tasque job <name> <id>}: one job's state, attempt, parameters and last error; exit 3 if there is no such job. */
@Command(name = "job", mixinStandardHelpOptions = true,
        description = "Shows one job: state, attempt, parameters, last error. Exits with 3 if there is no such job.")
final class JobCommand extends BrokerCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The task name (its queue).")
    String name;

    @Parameters(index = "1", paramLabel = "ID", description = "The job id.")
    String id;

    @Override
    int run(TasqueClient client) {
        JobInfo j = client.admin().job(name, id)
                .orElseThrow(() -> new UnknownJobException("no job " + name + "/" + id));
        if (json) {
            printJson(Json.job(j));
            return ExitCodes.OK;
        }
        PrintWriter out = out();
        out.println("id:         " + j.id());
        out.println("name:       " + j.name());
        out.println("state:      " + j.state());
        out.println("attempt:    " + j.attempt());
        if (j.at() != null) {
            out.println("at:         " + j.at());
        }
        out.println("params:     " + Json.write(j.params()));
        out.println("last error: " + (j.lastError() == null ? "-" : j.lastError()));
        return ExitCodes.OK;
    }
}
