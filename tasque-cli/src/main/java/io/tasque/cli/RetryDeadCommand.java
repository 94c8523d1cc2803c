package io.tasque.cli;

import io.tasque.client.DeadLetterSweep;
import io.tasque.client.DeadRetry;
import io.tasque.client.TasqueAdmin;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code tasque retry-dead <name> (<id>… | --all)}: dead jobs back to their queue, attempts reset. */
@Command(name = "retry-dead", mixinStandardHelpOptions = true,
        description = {"Sends dead jobs back to their queue to run again from attempt 1, with a fresh time to live.",
                "Exits with 3 if a named id is not in the dead letter (the others are still retried)."})
final class RetryDeadCommand extends DeadLetterCommand {

    @Override
    String verb() {
        return "retried";
    }

    @Override
    DeadLetterSweep.Result apply(TasqueAdmin admin, String id, Map<String, String> failures) {
        try {
            DeadRetry r = admin.retryDead(name, id);
            return r.retried() ? DeadLetterSweep.Result.DONE : DeadLetterSweep.Result.GONE;
        } catch (IllegalStateException e) {
            // a dead job without a payload cannot run again; it stays for delete-dead
            failures.put(id, e.getMessage());
            return DeadLetterSweep.Result.LEFT;
        }
    }
}
