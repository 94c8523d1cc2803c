package io.tasque.cli;

import io.tasque.client.DeadTask;
import io.tasque.client.TasqueClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tasque dead <name>}: the dead letter of one task name, oldest death first. */
@Command(name = "dead", mixinStandardHelpOptions = true,
        description = "Lists the dead jobs of one task name, oldest death first, with their runs and last error.")
final class DeadCommand extends BrokerCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The task name (its queue).")
    String name;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N jobs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip the N oldest (default: ${DEFAULT-VALUE}).")
    int offset;

    @Override
    void checkArguments() {
        Limits.checkLimit(spec.commandLine(), limit);
        if (offset < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--offset must be >= 0, was " + offset);
        }
    }

    @Override
    int run(TasqueClient client) {
        List<DeadTask> dead = client.admin().deadTasks(name, offset, limit);
        if (json) {
            List<Map<String, Object>> doc = new ArrayList<>();
            for (DeadTask d : dead) {
                doc.add(Json.dead(d));
            }
            printJson(doc);
            return ExitCodes.OK;
        }
        Table t = new Table("ID", "ATTEMPTS", "DIED AT", "PARAMS", "LAST ERROR");
        for (DeadTask d : dead) {
            t.row(d.id(), d.attempts(), d.diedAt(), d.task() == null ? d.payload() : Json.write(d.task().params()), d.lastError());
        }
        t.print(out());
        return ExitCodes.OK;
    }
}
