package io.tasque.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Watches this JVM's heap while a run goes on. Every collection is heard through the collectors' JMX
 * notifications: the heap in use just after it (the live set plus what survived), and just before it (the
 * highest the heap got). Every 500 ms a {@link Sample} is taken with the jobs done so far, the heap in use
 * at that moment ({@code MemoryMXBean}), the heap after the latest collection, and the old generation's
 * {@code CollectionUsage} (its use after its own latest collection, where the collector reports one).
 */
final class HeapSampler implements AutoCloseable {

    static final long PERIOD_MS = 500;

    /**
     * One sample, in bytes; {@code afterGc} is -1 before the first collection, {@code oldGenAfterGc} is -1 when
     * the collector does not report it and 0 until the old generation has been collected.
     */
    record Sample(double seconds, int done, long used, long afterGc, long oldGenAfterGc) {
    }

    private final IntSupplier done;
    private final long startNanos = System.nanoTime();
    private final Set<String> heapPools = new HashSet<>();
    private final MemoryPoolMXBean oldGen;
    private final List<Sample> samples = new ArrayList<>();
    private final AtomicLong lastAfterGc = new AtomicLong(-1);
    private final AtomicLong maxBeforeGc = new AtomicLong();
    private final NotificationListener listener = this::onGc;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-heap-sampler");
        t.setDaemon(true);
        return t;
    });

    private HeapSampler(IntSupplier done) {
        this.done = done;
        MemoryPoolMXBean old = null;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
                String name = pool.getName();
                if ((name.contains("Old") || name.contains("Tenured")) && pool.getCollectionUsage() != null) {
                    old = pool;
                }
            }
        }
        this.oldGen = old;
    }

    /** Starts listening and sampling; {@code done} reads the jobs finished so far. */
    static HeapSampler start(IntSupplier done) {
        HeapSampler s = new HeapSampler(done);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(s.listener, null, null);
                s.emitters.add(emitter);
            }
        }
        s.timer.scheduleAtFixedRate(s::sample, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
        return s;
    }

    /** The samples so far, oldest first. */
    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The most heap seen in use: the highest sample or the fullest heap a collection started from. */
    long maxUsed() {
        long max = maxBeforeGc.get();
        for (Sample s : samples()) {
            max = Math.max(max, s.used());
        }
        return max;
    }

    /** Stops sampling after one last sample, and stops listening. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // already gone
            }
        }
    }

    private void sample() {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        MemoryUsage old = oldGen == null ? null : oldGen.getCollectionUsage();
        Sample s = new Sample((System.nanoTime() - startNanos) / 1e9, done.getAsInt(), used, lastAfterGc.get(),
                old == null ? -1 : old.getUsed());
        synchronized (samples) {
            samples.add(s);
        }
    }

    private void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        lastAfterGc.set(heapSum(info.getGcInfo().getMemoryUsageAfterGc()));
        long before = heapSum(info.getGcInfo().getMemoryUsageBeforeGc());
        maxBeforeGc.accumulateAndGet(before, Math::max);
    }

    private long heapSum(Map<String, MemoryUsage> perPool) {
        long sum = 0;
        for (Map.Entry<String, MemoryUsage> e : perPool.entrySet()) {
            if (heapPools.contains(e.getKey())) {
                sum += e.getValue().getUsed();
            }
        }
        return sum;
    }
}
