package io.tasque.dashboard;

import io.tasque.client.TasqueAdmin;
import io.tasque.client.WorkerInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workers page's list: the live workers from the broker, and those gone (no heartbeat for
 * {@link WorkerInfo#GONE_AFTER}). A gone worker's entry is dropped from the broker the first time it is seen, and
 * still shown here as gone for {@link #SHOWN_GONE}, so an operator sees what went away. Thread-safe.
 */
final class WorkerList {

    /** How long a dropped worker is still shown as gone: 10 minutes. */
    static final Duration SHOWN_GONE = Duration.ofMinutes(10);

    /** One row: the worker and whether it is gone. */
    record Row(WorkerInfo worker, boolean gone) {
    }

    private final TasqueAdmin admin;
    private final Clock clock;
    /** Dropped workers by id, with when they were dropped. */
    private final Map<String, Dropped> dropped = new LinkedHashMap<>();

    private record Dropped(WorkerInfo worker, Instant at) {
    }

    WorkerList(TasqueAdmin admin, Clock clock) {
        this.admin = admin;
        this.clock = clock;
    }

    synchronized List<Row> rows() {
        Instant now = clock.instant();
        List<Row> rows = new ArrayList<>();
        for (WorkerInfo w : admin.workers()) {
            if (w.goneAt(now)) {
                admin.forgetWorker(w.id());
                dropped.put(w.id(), new Dropped(w, now));
            } else {
                dropped.remove(w.id());
                rows.add(new Row(w, false));
            }
        }
        dropped.values().removeIf(d -> d.at().plus(SHOWN_GONE).isBefore(now));
        for (Dropped d : dropped.values()) {
            rows.add(new Row(d.worker(), true));
        }
        return rows;
    }
}
