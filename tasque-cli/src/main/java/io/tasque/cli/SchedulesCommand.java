package io.tasque.cli;

import io.tasque.client.ScheduleInfo;
import io.tasque.client.TasqueClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code tasque schedules}: every stored schedule with its task, definition, misfire policy, next and last fire time. */
@Command(name = "schedules", mixinStandardHelpOptions = true,
        description = "Every stored schedule: id, task, when it ticks, misfire policy, next and last fire time.")
final class SchedulesCommand extends BrokerCommand {

    @Override
    int run(TasqueClient client) {
        List<ScheduleInfo> all = client.admin().schedules();
        if (json) {
            List<Map<String, Object>> doc = new ArrayList<>();
            for (ScheduleInfo s : all) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", s.id());
                m.put("task", s.taskName());
                m.put("definition", s.definition());
                m.put("misfire", s.misfire().name());
                m.put("nextFire", s.nextFire() == null ? null : s.nextFire().toString());
                m.put("lastFire", s.lastFire() == null ? null : s.lastFire().toString());
                doc.add(m);
            }
            printJson(doc);
            return ExitCodes.OK;
        }
        Table t = new Table("ID", "TASK", "WHEN", "MISFIRE", "NEXT", "LAST");
        for (ScheduleInfo s : all) {
            t.row(s.id(), s.taskName(), s.definition(), s.misfire().name(), s.nextFire() == null ? "-" : s.nextFire(),
                    s.lastFire() == null ? "-" : s.lastFire());
        }
        t.print(out());
        return ExitCodes.OK;
    }
}
