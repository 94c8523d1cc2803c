package io.tasque.cli;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code tasque submit <name> [key=value…] [--delay 60s] [--id ID]}: enqueues one task and prints its job id. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Submits one task and prints its job id.",
                "A value that is a JSON number or true/false is sent as that; any other value as a string."})
final class SubmitCommand extends BrokerCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The task name (its queue).")
    String name;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "Parameters of the task.")
    List<String> params = new ArrayList<>();

    @Option(names = "--delay", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Run no earlier than this from now: 250ms, 60s, 5m, 2h, 1d or PT1M30S.")
    Duration delay;

    @Option(names = "--id", paramLabel = "ID",
            description = "A job id of your choosing; submitting it again while it is known does not add a second job.")
    String id;

    private Task task;

    @Override
    void checkArguments() {
        try {
            task = Task.of(name).setAll(ParamValues.parse(params));
            if (id != null) {
                task = task.id(id);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    @Override
    int run(TasqueClient client) {
        String jobId = delay == null ? client.submit(task) : client.submit(task, delay);
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("id", jobId);
            doc.put("name", name);
            printJson(doc);
        } else {
            out().println(jobId);
        }
        return ExitCodes.OK;
    }
}
