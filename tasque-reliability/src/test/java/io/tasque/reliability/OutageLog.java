package io.tasque.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/**
 * Reads a worker process's log for the broker state changes a worker reports: one line when the broker
 * becomes unreachable, one when it is back.
 */
final class OutageLog {

    static final String DOWN = "is unreachable";
    static final String UP = "is reachable again";

    private OutageLog() {
    }

    /** The worker logged exactly {@code outages} "unreachable" lines and as many "reachable again" lines. */
    static void assertOneLinePerStateChange(WorkerProcess worker, int outages) {
        List<String> changes = worker.logLines().stream().filter(l -> l.contains(DOWN) || l.contains(UP)).toList();
        assertEquals(outages, worker.linesContaining(DOWN), () -> worker.name() + " logs one line when the broker goes: " + changes);
        assertEquals(outages, worker.linesContaining(UP), () -> worker.name() + " logs one line when it is back: " + changes);
    }
}
