package io.tasque.bench;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.CallLoad;
import java.util.ArrayList;
import java.util.List;

/**
 * Submits timestamped no-op tasks through one shared {@link TasqueClient}: one by one from many threads (a
 * {@link CallLoad}), or in {@code submitAll} chunks from the calling thread. Each task carries {@code ts} = {@link System#nanoTime()}
 * taken just before it is handed to the client. Both stop early at the deadline; failures are counted, the
 * first one is kept, and the run goes on.
 */
final class Submitter {

    private final TasqueClient client;
    private final Task template;

    Submitter(TasqueClient client, Task template) {
        this.client = client;
        this.template = template;
    }

    /** The outcome of one submitting run. */
    record Outcome(int submitted, int failed, String firstError, long startNanos, long endNanos, boolean timedOut) {

        PhaseResult asPhase(int target) {
            return PhaseResult.between(submitted, target, startNanos, endNanos, timedOut);
        }

        /** "" or a note on the failures, for progress lines. */
        String failureNote() {
            return failed == 0 ? "" : "; " + failed + " submit(s) failed, first: " + firstError;
        }
    }

    /** Submits one task with {@code client.submit}; returns its job id. */
    String one() {
        return client.submit(template.set(Completions.TS, System.nanoTime()));
    }

    /** Submits one task with {@code client.submit} that also carries its scheduled send time; returns its job id. */
    String scheduled(long scheduledNanos) {
        return client.submit(template.set(Completions.SCHEDULED, scheduledNanos).set(Completions.TS, System.nanoTime()));
    }

    /** Submits {@code n} tasks one by one ({@code client.submit}) from {@code threads} threads. */
    Outcome oneByOne(int n, int threads, long deadlineNanos) throws InterruptedException {
        CallLoad load = CallLoad.of(number -> one()).threads(threads).limit(n).deadlineNanos(deadlineNanos)
                .threadName("bench-submit").start().awaitEnd();
        List<CallLoad.Failure> failures = load.failures();
        String firstError = failures.isEmpty() ? null : failures.get(0).error().toString();
        return new Outcome(load.succeeded(), failures.size(), firstError, load.startNanos(), load.endNanos(),
                load.succeeded() + failures.size() < n);
    }

    /** Submits {@code n} tasks with {@code client.submitAll}, {@code chunk} tasks per call. */
    Outcome inChunks(int n, int chunk, long deadlineNanos) {
        int ok = 0;
        int failed = 0;
        String firstError = null;
        long start = System.nanoTime();
        while (ok + failed < n && System.nanoTime() < deadlineNanos) {
            int size = Math.min(chunk, n - ok - failed);
            List<Task> tasks = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                tasks.add(template.set(Completions.TS, System.nanoTime()));
            }
            try {
                ok += client.submitAll(tasks).size();
            } catch (RuntimeException e) {
                failed += size;
                if (firstError == null) {
                    firstError = e.toString();
                }
            }
        }
        long end = System.nanoTime();
        return new Outcome(ok, failed, firstError, start, end, ok + failed < n);
    }
}
