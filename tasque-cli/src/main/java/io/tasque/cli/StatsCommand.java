package io.tasque.cli;

import io.tasque.client.QueueCounts;
import io.tasque.client.TasqueClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code tasque stats}: every queue with its ready, delayed, running and dead counts. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Every queue with its counts: ready, delayed, running, dead.")
final class StatsCommand extends BrokerCommand {

    @Override
    int run(TasqueClient client) {
        List<QueueCounts> all = client.admin().stats();
        if (json) {
            List<Map<String, Object>> doc = new ArrayList<>();
            for (QueueCounts c : all) {
                doc.add(Json.counts(c));
            }
            printJson(doc);
            return ExitCodes.OK;
        }
        Table t = new Table("NAME", "READY", "DELAYED", "RUNNING", "DEAD");
        for (QueueCounts c : all) {
            t.row(c.name(), c.ready(), c.delayed(), c.running(), c.dead());
        }
        t.print(out());
        return ExitCodes.OK;
    }
}
