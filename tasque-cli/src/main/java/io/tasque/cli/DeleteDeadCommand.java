package io.tasque.cli;

import io.tasque.client.DeadLetterSweep;
import io.tasque.client.TasqueAdmin;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code tasque delete-dead <name> (<id>… | --all)}: dead jobs deleted for good. */
@Command(name = "delete-dead", mixinStandardHelpOptions = true,
        description = {"Deletes dead jobs for good.",
                "Exits with 3 if a named id is not in the dead letter (the others are still deleted)."})
final class DeleteDeadCommand extends DeadLetterCommand {

    @Override
    String verb() {
        return "deleted";
    }

    @Override
    DeadLetterSweep.Result apply(TasqueAdmin admin, String id, Map<String, String> failures) {
        return admin.deleteDead(name, id) ? DeadLetterSweep.Result.DONE : DeadLetterSweep.Result.GONE;
    }
}
