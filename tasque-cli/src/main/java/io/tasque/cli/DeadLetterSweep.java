package io.tasque.cli;

import io.tasque.client.DeadTask;
import io.tasque.client.TasqueAdmin;
import java.util.List;
import java.util.function.Function;

/**
 * Applies one action (retry, delete) to every dead job of a queue, a page at a time through
 * {@link TasqueAdmin#deadTasks(String, int, int)}. It visits at most as many jobs as the dead letter held when it
 * started, so jobs that die again meanwhile (a handler that still fails) do not keep it going forever; jobs the
 * action leaves in the dead letter are paged over.
 */
final class DeadLetterSweep {

    /** Dead jobs read per call. */
    static final int PAGE = 500;

    /** What the action did to one dead job. */
    enum Result {
        /** Retried or deleted: it left the dead letter. */
        DONE,
        /** Gone before the action reached it (someone else retried or deleted it). */
        GONE,
        /** Still in the dead letter: the action could not handle it (the action says why). */
        LEFT
    }

    private final TasqueAdmin admin;
    private final String name;

    DeadLetterSweep(TasqueAdmin admin, String name) {
        this.admin = admin;
        this.name = name;
    }

    /** How many dead jobs a sweep started now would visit at most. */
    long size() {
        return admin.stats(name).dead();
    }

    /** Runs {@code action} on up to {@code total} dead jobs, oldest first; returns how many it handled ({@link Result#DONE}). */
    long run(long total, Function<String, Result> action, ProgressBar progress) {
        long visited = 0;
        long done = 0;
        int skipped = 0;
        while (visited < total) {
            int want = (int) Math.min(PAGE, total - visited);
            List<DeadTask> page = admin.deadTasks(name, skipped, want);
            if (page.isEmpty()) {
                break;
            }
            for (DeadTask d : page) {
                Result r = action.apply(d.id());
                if (r == Result.DONE) {
                    done++;
                } else if (r == Result.LEFT) {
                    skipped++;
                }
                visited++;
                progress.step();
            }
        }
        progress.finish();
        return done;
    }
}
