package io.tasque.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads that each make one call after another — submits, in practice — and record every outcome: the value a
 * call returned, or what it threw and how long that took, and the longest call of all. The load ends after a
 * number of calls, at a deadline, or at {@link #close()}, whichever comes first. The benchmark times its
 * one-by-one enqueue phases with it; the fault suite keeps submitting with it while it breaks Redis.
 */
public final class CallLoad implements AutoCloseable {

    /** A call that threw, and how long it took to. */
    public record Failure(RuntimeException error, Duration took) {
    }

    /** One call of the load, told its number (from 0, across all threads); returns what the load records. */
    @FunctionalInterface
    public interface Call {

        /** Makes call number {@code number}; returns what to record of it (its outcome). */
        String call(int number);
    }

    private final Call call;
    private final int limit;
    private final long deadlineNanos;
    private final Duration pause;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger succeeded = new AtomicInteger();
    private final Queue<String> results = new ConcurrentLinkedQueue<>();
    private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong longestNanos = new AtomicLong();
    private final AtomicLong endNanos = new AtomicLong(Long.MIN_VALUE);
    private final long startNanos;
    private volatile boolean stopped;

    private CallLoad(Builder b) {
        this.call = b.call;
        this.limit = b.limit;
        this.deadlineNanos = b.deadlineNanos;
        this.pause = b.pause;
        for (int i = 0; i < b.threads; i++) {
            Thread t = new Thread(this::loop, b.threadName + "-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        this.startNanos = System.nanoTime();
        threads.forEach(Thread::start);
    }

    /** Describes a load of {@code call}: one thread, no limit, no deadline, no pause, until {@link #close()}. */
    public static Builder of(Call call) {
        return new Builder(call);
    }

    private void loop() {
        try {
            int number;
            while (!stopped && (number = next.getAndIncrement()) < limit && System.nanoTime() - deadlineNanos < 0) {
                long start = System.nanoTime();
                try {
                    results.add(call.call(number));
                    succeeded.incrementAndGet();
                } catch (RuntimeException e) {
                    failures.add(new Failure(e, Duration.ofNanos(System.nanoTime() - start)));
                }
                long took = System.nanoTime() - start;
                if (took > longestNanos.get()) {
                    longestNanos.accumulateAndGet(took, Math::max);
                }
                if (!pause.isZero()) {
                    Thread.sleep(pause.toMillis());
                }
            }
        } catch (InterruptedException e) {
            // stop calling: close() or the owner of the load interrupted this thread
        } finally {
            endNanos.accumulateAndGet(System.nanoTime(), Math::max);
        }
    }

    /** Waits until every thread has ended: the limit or the deadline was reached, or the load was closed. */
    public CallLoad awaitEnd() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
        return this;
    }

    /** Stops the load and waits (up to a minute per thread) for the calls in progress to end. */
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

    /** What the calls that returned returned, in the order they returned. */
    public List<String> results() {
        return List.copyOf(results);
    }

    /** How many calls returned so far. */
    public int succeeded() {
        return succeeded.get();
    }

    /** The calls that threw so far, in the order they threw. */
    public List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** The longest any single call took, returned or thrown. */
    public Duration longestCall() {
        return Duration.ofNanos(longestNanos.get());
    }

    /** {@link System#nanoTime()} just before the threads started. */
    public long startNanos() {
        return startNanos;
    }

    /** {@link System#nanoTime()} when the last thread ended; valid after {@link #awaitEnd()} or {@link #close()}. */
    public long endNanos() {
        return endNanos.get();
    }

    /** Describes a load; {@link #start()} starts its threads. */
    public static final class Builder {

        private final Call call;
        private int threads = 1;
        private int limit = Integer.MAX_VALUE;
        private long deadlineNanos = System.nanoTime() + Duration.ofDays(365).toNanos();
        private Duration pause = Duration.ZERO;
        private String threadName = "call-load";

        private Builder(Call call) {
            this.call = Objects.requireNonNull(call, "call");
        }

        /** How many threads make calls at once; 1 by default. */
        public Builder threads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("threads must be >= 1, was " + n);
            }
            this.threads = n;
            return this;
        }

        /** Makes at most {@code calls} calls in all; no limit by default. */
        public Builder limit(int calls) {
            if (calls < 0) {
                throw new IllegalArgumentException("limit must be >= 0, was " + calls);
            }
            this.limit = calls;
            return this;
        }

        /** Starts no call once {@link System#nanoTime()} has passed {@code nanoTime}; none by default. */
        public Builder deadlineNanos(long nanoTime) {
            this.deadlineNanos = nanoTime;
            return this;
        }

        /** Each thread waits this long after each call; none by default. */
        public Builder pause(Duration pause) {
            if (pause.isNegative()) {
                throw new IllegalArgumentException("pause must not be negative, was " + pause);
            }
            this.pause = pause;
            return this;
        }

        /** Names the threads {@code NAME-0}, {@code NAME-1}, …; {@code call-load} by default. */
        public Builder threadName(String name) {
            this.threadName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Starts the threads. */
        public CallLoad start() {
            return new CallLoad(this);
        }
    }
}
