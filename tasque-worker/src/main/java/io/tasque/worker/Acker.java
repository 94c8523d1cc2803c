package io.tasque.worker;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acks finished jobs in groups. While the lease loop is active (every finished handler frees a slot, so it is
 * about to call reserve) it takes the waiting acks and sends them with that call, settling and refilling a
 * busy worker in one round trip. While the lease loop waits for work, this thread is woken and sends every ack
 * waiting at that moment in one broker call, so a lone ack still goes out at once. The handler thread is free
 * for the next job as soon as it has queued its ack; the job stays in flight (and leased) until the broker
 * has confirmed the ack. Anything a turn throws besides a broker error is caught by its {@link LoopGuard}: the
 * acks go back in the queue and are sent again after a backoff.
 */
final class Acker implements Component {

    private static final Logger log = LoggerFactory.getLogger(Acker.class);

    /** Most acks sent in one call. */
    static final int MAX_BATCH = 512;
    /** How often an idle acker looks for acks nobody woke it for: 20 ms (a local check, no Redis call). */
    static final long SAFETY_POLL_NANOS = 20_000_000L;

    /** One ack waiting to be sent, with what to do once the broker answered. */
    record Pending(Delivery delivery, BiConsumer<Delivery, Boolean> done) {
    }

    private final Broker broker;
    private final BrokerRetry retry;
    private final LoopGuard guard;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** True while a fetch lane is about to call reserve anyway (it then carries the acks); false while they wait for work. */
    private volatile boolean lanesActive;
    private final Thread thread;
    private volatile boolean stopping;

    Acker(Broker broker, BrokerRetry retry, BrokerHealth health) {
        this.broker = broker;
        this.retry = retry;
        this.guard = new LoopGuard("ack loop", health);
        this.thread = new Thread(this::loop, "tasque-acker");
        this.thread.setDaemon(true);
    }

    @Override
    public void start() {
        thread.start();
    }

    /**
     * Queues an ack; {@code done} runs once the broker answered, with whether the lease was still held, or
     * with null when the ack could not be sent at all.
     */
    void ack(Delivery d, BiConsumer<Delivery, Boolean> done) {
        queue.add(new Pending(d, done));
        if (!lanesActive) {
            LockSupport.unpark(thread);
        }
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                Pending p;
                while (batch.size() < MAX_BATCH && (p = queue.poll()) != null) {
                    batch.add(p);
                }
                if (!batch.isEmpty()) {
                    send(batch);
                    batch.clear();
                    guard.succeeded();
                    continue;
                }
                if (stopping) {
                    return;
                }
                // woken by ack() while the fetch lanes wait for work; otherwise a slow look now and then
                LockSupport.parkNanos(this, SAFETY_POLL_NANOS);
            } catch (Throwable t) {
                putBack(batch);
                batch.clear();
                LockSupport.parkNanos(this, guard.failed(t).toNanos());
            }
        }
    }

    /** Tells the acker whether a fetch lane will carry waiting acks soon; when none will, the acker sends them. */
    void lanesActive(boolean active) {
        lanesActive = active;
        if (!active && !queue.isEmpty()) {
            LockSupport.unpark(thread);
        }
    }

    /** Takes up to {@link #MAX_BATCH} waiting acks for another thread to send; it must then call {@link #settled} or {@link #putBack}. */
    List<Pending> take() {
        List<Pending> taken = new ArrayList<>();
        Pending p;
        while (taken.size() < MAX_BATCH && (p = queue.poll()) != null) {
            taken.add(p);
        }
        return taken;
    }

    /** Runs the callbacks of acks another thread sent; {@code acked} null means the call failed for good. */
    void settled(List<Pending> batch, boolean[] acked) {
        for (int i = 0; i < batch.size(); i++) {
            try {
                batch.get(i).done().accept(batch.get(i).delivery(), acked == null ? null : acked[i]);
            } catch (RuntimeException e) {
                log.error("ack callback failed for job {}", batch.get(i).delivery(), e);
            }
        }
    }

    /**
     * Like {@link #settled(List, boolean[])}, for a call that reported {@code brokenQueues}: an ack into one of
     * those that did not go through was not applied at all, so its callback hears "could not be sent" (null).
     */
    void settled(List<Pending> batch, boolean[] acked, Set<String> brokenQueues) {
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            Boolean result = !acked[i] && brokenQueues.contains(p.delivery().queue()) ? null : acked[i];
            try {
                p.done().accept(p.delivery(), result);
            } catch (RuntimeException e) {
                log.error("ack callback failed for job {}", p.delivery(), e);
            }
        }
    }

    /** Returns acks another thread took but could not send, so this thread sends them. */
    void putBack(List<Pending> batch) {
        queue.addAll(batch);
    }

    private void send(List<Pending> batch) {
        List<Delivery> deliveries = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            deliveries.add(p.delivery());
        }
        boolean[] acked;
        try {
            acked = retry.get("ack", () -> broker.ack(deliveries));
        } catch (BrokerException e) {
            log.warn("{} ack(s) could not be sent ({}); those jobs run again after their lease expires", batch.size(), e.getMessage());
            acked = null;
        }
        settled(batch, acked);
    }

    /** Sends every queued ack, then ends the thread; true if it ended within {@code grace}. */
    @Override
    public boolean stop(Duration grace) {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Math.max(1, grace.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }
}
