package io.tasque.reliability;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Load for the outage scenarios: background threads that each submit a task every {@code every} and record
 * each outcome — the id a submit returned, or the exception it threw and how long the call took.
 */
final class Submitter implements AutoCloseable {

    /** A submit that threw. */
    record Failure(RuntimeException error, Duration took) {
    }

    private final TasqueClient client;
    private final IntFunction<Task> tasks;
    private final Duration every;
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong longestNanos = new AtomicLong();
    private final AtomicInteger attempts = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    /** {@code threads} threads, each submitting one of {@code tasks} (numbered from 0) every {@code every}. */
    Submitter(TasqueClient client, int threads, IntFunction<Task> tasks, Duration every) {
        this.client = client;
        this.tasks = tasks;
        this.every = every;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::loop, "submitter-" + i);
            t.setDaemon(true);
            this.threads.add(t);
        }
    }

    Submitter start() {
        threads.forEach(Thread::start);
        return this;
    }

    private void loop() {
        while (!stopped) {
            Task task = tasks.apply(attempts.getAndIncrement());
            long start = System.nanoTime();
            try {
                ids.add(client.submit(task));
            } catch (RuntimeException e) {
                failures.add(new Failure(e, Duration.ofNanos(System.nanoTime() - start)));
            }
            longestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops submitting and waits for the calls in progress to end. */
    @Override
    public void close() {
        stopped = true;
        for (Thread t : threads) {
            try {
                t.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Ids of the submits that returned, in order. */
    List<String> ids() {
        return new ArrayList<>(ids);
    }

    List<Failure> failures() {
        return new ArrayList<>(failures);
    }

    int succeeded() {
        return ids.size();
    }

    /** The longest any single submit call took, successful or not. */
    Duration longestCall() {
        return Duration.ofNanos(longestNanos.get());
    }
}
