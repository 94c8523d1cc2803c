package io.tasque.client;

import java.util.List;
import java.util.function.Function;

/**
 * Applies one action (retry, delete) to every dead job of a task name, oldest first, a page at a time through
 * {@link TasqueAdmin#deadTasks(String, int, int)}, however many there are. It visits at most as many jobs as the dead
 * letter held when it started, so jobs that die again meanwhile (a handler that still fails) do not keep it going
 * forever; jobs the action leaves in the dead letter are paged over. Used by {@code tasque retry-dead --all} and the
 * dashboard's "retry all" and "delete all".
 */
public final class DeadLetterSweep {

    /** Dead jobs read per call. */
    public static final int PAGE = 500;

    /** What the action did to one dead job. */
    public enum Result {
        /** Retried or deleted: it left the dead letter. */
        DONE,
        /** Gone before the action reached it (someone else retried or deleted it). */
        GONE,
        /** Still in the dead letter: the action could not handle it. */
        LEFT
    }

    private final TasqueAdmin admin;
    private final String taskName;

    /** A sweep over the dead letter of {@code taskName}. */
    public DeadLetterSweep(TasqueAdmin admin, String taskName) {
        this.admin = admin;
        this.taskName = taskName;
    }

    /** How many dead jobs a sweep started now would visit at most: the dead letter's size. */
    public long size() {
        return admin.stats(taskName).dead();
    }

    /** Runs {@code action} on every dead job there is now; returns how many it handled ({@link Result#DONE}). */
    public long run(Function<String, Result> action) {
        return run(size(), action, () -> { });
    }

    /**
     * Runs {@code action} on up to {@code total} dead jobs, oldest first, calling {@code visited} after each (a
     * progress bar's step); returns how many it handled ({@link Result#DONE}).
     */
    public long run(long total, Function<String, Result> action, Runnable visited) {
        long seen = 0;
        long done = 0;
        int skipped = 0;
        while (seen < total) {
            int want = (int) Math.min(PAGE, total - seen);
            List<DeadTask> page = admin.deadTasks(taskName, skipped, want);
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
                seen++;
                visited.run();
            }
        }
        return done;
    }
}
