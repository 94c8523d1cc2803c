package io.tasque.cli;

import io.tasque.client.JobInfo;
import io.tasque.client.TasqueClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code tasque cancel <name> <id>}: deletes a ready or delayed job, stops a running one. Exits with 3 when there is
 * nothing to cancel: no such job, or one that already succeeded, died or was cancelled (the message says which).
 */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Cancels a job: a ready or delayed one is deleted, a running one's handler is interrupted.",
                "Exits with 3 if there is no such job to cancel (unknown, or already succeeded, dead or cancelled)."})
final class CancelCommand extends BrokerCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The task name (its queue).")
    String name;

    @Parameters(index = "1", paramLabel = "ID", description = "The job id.")
    String id;

    @Override
    int run(TasqueClient client) {
        if (!client.cancel(name, id)) {
            Optional<JobInfo> job = client.admin().job(name, id);
            throw new UnknownJobException(job.isEmpty()
                    ? "no job " + name + "/" + id
                    : "job " + name + "/" + id + " is " + job.get().state() + "; nothing to cancel");
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("id", id);
            doc.put("name", name);
            doc.put("cancelled", true);
            printJson(doc);
        } else {
            out().println("cancelled " + name + "/" + id);
        }
        return ExitCodes.OK;
    }
}
