package io.tasque.worker;

import io.tasque.broker.BrokenQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps queues the broker could not serve (a key holding the wrong type of data) out of the lease loop's calls for
 * a while: 1 s after it broke, doubling to 60 s while it stays broken; then the queue is tried again. A broken
 * queue is logged once when it breaks, naming the key and the error, and once when it can be served again, so
 * one bad key neither stalls the other queues nor floods the log. Its jobs stay where they are meanwhile.
 */
final class QueueQuarantine {

    private static final Logger log = LoggerFactory.getLogger(QueueQuarantine.class);

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private static final class Held {
        BrokenQueue broken;
        int failures;
        long retryAtNanos;
    }

    private final List<String> queues;
    private final BrokerHealth health;
    private final Map<String, Held> held = new HashMap<>();
    private volatile boolean any;

    QueueQuarantine(List<String> queues, BrokerHealth health) {
        this.queues = List.copyOf(queues);
        this.health = health;
    }

    /** The queues to lease from now: every queue but those waiting out their backoff. */
    List<String> active() {
        if (!any) {
            return queues;
        }
        synchronized (this) {
            long now = System.nanoTime();
            List<String> out = new ArrayList<>(queues.size());
            for (String q : queues) {
                Held h = held.get(q);
                if (h == null || now - h.retryAtNanos >= 0) {
                    out.add(q);
                }
            }
            return out;
        }
    }

    /** The outcome of a lease call over {@code asked}: reported queues are held back, the others asked for go free. */
    void leased(List<String> asked, List<BrokenQueue> broken) {
        if (!any && broken.isEmpty()) {
            return;
        }
        hold(broken);
        List<String> repaired = new ArrayList<>();
        synchronized (this) {
            for (String q : asked) {
                if (held.containsKey(q) && broken.stream().noneMatch(b -> b.queue().equals(q))) {
                    held.remove(q);
                    repaired.add(q);
                }
            }
            any = !held.isEmpty();
        }
        for (String q : repaired) {
            health.queueRepaired(q);
            log.info("queue '{}' can be served again; fetching from it resumes", q);
        }
    }

    /** Broken queues another call found (a housekeeping pass, a wait for work): held back like the lease loop's own. */
    void hold(List<BrokenQueue> broken) {
        for (BrokenQueue b : broken) {
            boolean fresh;
            synchronized (this) {
                Held h = held.get(b.queue());
                fresh = h == null;
                if (fresh) {
                    h = new Held();
                    held.put(b.queue(), h);
                }
                h.broken = b;
                h.failures++;
                long backoff = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(h.failures - 1, 16));
                h.retryAtNanos = System.nanoTime() + backoff * 1_000_000;
                any = true;
            }
            if (fresh) {
                health.queueBroken(b);
                log.warn("queue '{}' cannot be served: {} holds data tasque cannot use ({}); its jobs are left in place, "
                        + "the other queues go on, and it is tried again after {} s, backing off to {} s",
                        b.queue(), b.key().isEmpty() ? "one of its keys" : "key " + b.key(), b.error(),
                        FIRST_BACKOFF.toSeconds(), MAX_BACKOFF.toSeconds());
            }
        }
    }
}
