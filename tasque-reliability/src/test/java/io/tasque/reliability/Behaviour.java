package io.tasque.reliability;

import io.tasque.Task;
import java.io.IOException;

/**
 * What a child worker's handler does with one task, steered by the task's params: work for a while, fail
 * when it runs on a named worker, kill its own process (as a crashing job would), exit it (System.exit, as a job
 * that ends the program would) or freeze it (as a job that hangs the whole JVM would), or hang ignoring every
 * interrupt (as a handler stuck in code that does not honour its timeout would). Without such params a run works for the worker's default time.
 */
final class Behaviour {

    /** Param: how long the run works, in ms (overrides the worker's default). */
    static final String SLEEP_MS = "sleepMs";
    /** Param: the name of a worker on which the run throws after working. */
    static final String FAIL_ON = "failOn";
    /** Param: true → the run kills its worker process at once (Runtime.halt), every time. */
    static final String CRASH = "crash";
    /** Param: true → the run calls System.exit(3), which runs the worker's shutdown hook, every time. */
    static final String EXIT = "exit";
    /** Param: true → the run never returns and swallows every interrupt, as a stuck handler would. */
    static final String HANG = "hang";
    /** Param: true → the run freezes its worker process (SIGSTOP to itself), every time. */
    static final String FREEZE = "freeze";

    /** Work is slept in steps this long, so a run frozen mid-way still has work left when it thaws. */
    private static final long STEP_MS = 10;

    private final String worker;
    private final long defaultSleepMillis;

    Behaviour(String worker, long defaultSleepMillis) {
        this.worker = worker;
        this.defaultSleepMillis = defaultSleepMillis;
    }

    /** A plain job numbered {@code i}. */
    static Task plain(int i) {
        return Task.of(ChildSettings.TASK).set("i", i);
    }

    /** A job that works {@code millis} before it returns. */
    static Task working(int i, long millis) {
        return plain(i).set(SLEEP_MS, millis);
    }

    void apply(Task task) throws InterruptedException, IOException {
        if (flag(task, CRASH)) {
            Runtime.getRuntime().halt(137);
        }
        if (flag(task, EXIT)) {
            System.exit(3);
        }
        if (flag(task, FREEZE)) {
            freezeThisProcess();
        }
        if (flag(task, HANG)) {
            hangIgnoringInterrupts();
        }
        Long sleep = task.has(SLEEP_MS) ? task.param(SLEEP_MS, Long.class) : defaultSleepMillis;
        work(sleep);
        if (worker.equals(task.has(FAIL_ON) ? task.param(FAIL_ON, String.class) : null)) {
            throw new IllegalStateException("failing on purpose on worker " + worker);
        }
    }

    private static void work(long millis) throws InterruptedException {
        if (millis <= 0) {
            return;
        }
        for (long left = millis; left > 0; left -= STEP_MS) {
            Thread.sleep(Math.min(STEP_MS, left));
        }
    }

    private static void hangIgnoringInterrupts() {
        while (true) {
            try {
                Thread.sleep(STEP_MS);
            } catch (InterruptedException ignored) {
                // a stuck handler does not honour its timeout
            }
        }
    }

    private static void freezeThisProcess() throws IOException, InterruptedException {
        String pid = Long.toString(ProcessHandle.current().pid());
        new ProcessBuilder("kill", "-STOP", pid).inheritIO().start().waitFor();
        // only reached if someone sends SIGCONT; the job then simply runs on
    }

    private static boolean flag(Task task, String name) {
        return task.has(name) && Boolean.TRUE.equals(task.param(name, Boolean.class));
    }
}
