package io.tasque.worker;

import io.tasque.broker.QueueHold;
import io.tasque.broker.QueueLimit;
import io.tasque.broker.Reservation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The limits of a worker's queues ({@link HandlerOptions.Builder#rateLimit}, {@code rateLimitBy}, {@code maxRunning},
 * {@code weight}) as the lease loop applies them: what each reserve call sends ({@link #forCall}), the queues a rate
 * holds back until a time (left out of reserve calls and of the wait for work until then, so a held queue costs no
 * calls), and the weights' shares of the free slots, kept as credits across calls (weighted round robin: a queue's
 * credit grows by its share of each call's slots, and the call's slots go to the largest credits). A worker without
 * limits or weights has none of this: {@link #any()} is false and the lease loop calls the broker as before.
 */
final class QueueLimits {

    /**
     * One queue's limits: one start every {@code rateIntervalMicros} (0: no rate) for the queue or, with
     * {@code rateParam}, for each value of that param; at most {@code maxRunning} leases at once (0: no cap); its
     * {@code weight} among the worker's queues. {@code rateText} says the rate as it was set, for logs.
     */
    record Spec(long rateIntervalMicros, String rateParam, int maxRunning, int weight, String rateText) {

        static final Spec NONE = new Spec(0, null, 0, 1, null);

        boolean limited() {
            return rateIntervalMicros > 0 || maxRunning > 0;
        }
    }

    private final Map<String, Spec> specs = new HashMap<>();
    private final boolean weighted;
    /** Queues held by their rate, until when (epoch ms). Guarded by this. */
    private final Map<String, Long> heldUntil = new HashMap<>();
    /** Weighted round robin: each queue's credit of slots. Guarded by this. */
    private final Map<String, Double> credit = new HashMap<>();

    QueueLimits(Map<String, Handler> handlers) {
        boolean w = false;
        for (Handler h : handlers.values()) {
            Spec s = h.limits();
            if (s.limited() || s.weight() != 1) {
                specs.put(h.name(), s);
            }
            w |= s.weight() != 1;
        }
        this.weighted = w;
    }

    /** True when some queue has a limit or a weight: reserve calls then go through the broker's limited reserve. */
    boolean any() {
        return !specs.isEmpty();
    }

    /** {@code queues} without those a rate holds back at {@code now}. */
    synchronized List<String> leasable(List<String> queues, long now) {
        if (heldUntil.isEmpty()) {
            return queues;
        }
        List<String> out = new ArrayList<>(queues.size());
        for (String q : queues) {
            Long until = heldUntil.get(q);
            if (until == null || until <= now) {
                heldUntil.remove(q);
                out.add(q);
            }
        }
        return out;
    }

    /** The earliest time (epoch ms) a rate-held queue may start a job again, or -1 when none is held. */
    synchronized long nextRelease() {
        long next = -1;
        for (long until : heldUntil.values()) {
            if (next < 0 || until < next) {
                next = until;
            }
        }
        return next;
    }

    /**
     * The limits to send with a call leasing up to {@code max} jobs from {@code queues}; with weights, each queue's
     * quota of the call (the slots go to the largest credits, every queue's credit grown by its weighted share first).
     */
    synchronized List<QueueLimit> forCall(List<String> queues, int max) {
        Map<String, Integer> quota = weighted ? quotas(queues, max) : Map.of();
        List<QueueLimit> out = new ArrayList<>();
        for (String q : queues) {
            Spec s = specs.get(q);
            Integer share = quota.get(q);
            if (s == null && share == null) {
                continue;
            }
            Spec spec = s != null ? s : Spec.NONE;
            out.add(new QueueLimit(q, spec.rateIntervalMicros(), spec.rateParam(), spec.maxRunning(), share == null ? -1 : share));
        }
        return out;
    }

    private Map<String, Integer> quotas(List<String> queues, int max) {
        Map<String, Integer> quota = new HashMap<>();
        if (queues.isEmpty() || max <= 0) {
            for (String q : queues) {
                quota.put(q, 0);
            }
            return quota;
        }
        double total = 0;
        for (String q : queues) {
            total += weightOf(q);
        }
        List<String> order = new ArrayList<>(queues);
        for (String q : queues) {
            credit.merge(q, max * weightOf(q) / total, Double::sum);
            quota.put(q, 0);
        }
        // the call's slots one by one to the largest credit left (its credit lowered by each slot it gets)
        Map<String, Double> left = new HashMap<>();
        for (String q : order) {
            left.put(q, credit.get(q));
        }
        for (int slot = 0; slot < max; slot++) {
            String best = order.get(0);
            for (String q : order) {
                if (left.get(q) > left.get(best)) {
                    best = q;
                }
            }
            quota.merge(best, 1, Integer::sum);
            left.merge(best, -1.0, Double::sum);
        }
        return quota;
    }

    private int weightOf(String queue) {
        Spec s = specs.get(queue);
        return s == null ? 1 : s.weight();
    }

    /**
     * Takes in what a call with {@code sent} leased: a queue's credit is lowered by what it took, and a queue that
     * took less than its quota (nothing ready, or held) loses what is left, so an empty queue saves up nothing; the
     * queues held by their rate are left out until their time.
     */
    synchronized void leased(Reservation got, List<QueueLimit> sent) {
        for (QueueHold h : got.holds()) {
            if (!h.untilARunEnds()) {
                heldUntil.put(h.queue(), h.untilMillis());
            }
        }
        if (!weighted) {
            return;
        }
        Map<String, Integer> took = new HashMap<>();
        got.deliveries().forEach(d -> took.merge(d.queue(), 1, Integer::sum));
        for (QueueLimit l : sent) {
            if (l.quota() < 0) {
                continue;
            }
            int t = took.getOrDefault(l.queue(), 0);
            double c = credit.getOrDefault(l.queue(), 0.0) - t;
            credit.put(l.queue(), t < l.quota() ? 0.0 : Math.max(0.0, c));
        }
    }
}
