package io.tasque.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.memory.MemoryBroker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every runtime component has the same lifecycle: started, it stops within a grace and says so; stopping one that
 * never started, or stopping one twice, is harmless.
 */
class ComponentLifecycleTest {

    private static final Duration GRACE = Duration.ofSeconds(5);

    private final Broker broker = Brokers.open("memory://lifecycle-" + UUID.randomUUID(), BrokerOptions.defaults());
    private final WorkerConfig config = Worker.builder().broker(broker).concurrency(3).shutdownHook(false)
            .idleBlock(Duration.ofMillis(50)).heartbeat(Duration.ofMillis(20)).janitorInterval(Duration.ofMillis(20))
            .handle("q", task -> { }).config();
    private final BrokerHealth health = new BrokerHealth(broker.describe(), Clock.systemUTC());
    private final InFlight inFlight = new InFlight();

    @AfterEach
    void close() {
        broker.close();
    }

    /** One of each kind of component, fresh. */
    private List<Component> components() {
        WorkerMetrics metrics = new WorkerMetrics(null, inFlight::size);
        QueueQuarantine quarantine = new QueueQuarantine(config.queues(), health);
        BrokerRetry retry = new BrokerRetry(config.lease(), health);
        return List.of(
                new LeaseLoop(config, broker, inFlight, metrics, health, quarantine, Executors.newSingleThreadScheduledExecutor()),
                new Processor(config, broker.codec(Integer.MAX_VALUE), inFlight, metrics, Executors.newSingleThreadScheduledExecutor(),
                        (run, handler, outcome) -> { }),
                new HandlerPool(3, "lifecycle-handler-"),
                new Acker(broker, retry, health),
                retry,
                new LeaseKeeper(config, broker, inFlight, health),
                new Janitor(config, (MemoryBroker) broker, health, quarantine),
                new WorkerRegistry(config, new ListedWorkers(), inFlight::size, health));
    }

    @Test
    void aStartedComponentStopsWithinTheGrace() {
        for (Component c : components()) {
            c.start();
            assertTrue(c.stop(GRACE), c.getClass().getSimpleName() + " did not stop within " + GRACE);
        }
    }

    @Test
    void stoppingAComponentThatNeverStartedIsHarmless() {
        for (Component c : components()) {
            assertTrue(c.stop(GRACE), c.getClass().getSimpleName() + " never started, yet did not report stopped");
        }
    }

    @Test
    void stoppingAComponentTwiceIsHarmless() {
        for (Component c : components()) {
            c.start();
            c.stop(GRACE);
            assertTrue(c.stop(GRACE), c.getClass().getSimpleName() + " stopped a second time did not report stopped");
        }
    }

    /** The worker list the registry writes to, kept in a map: the memory broker keeps none. */
    private static final class ListedWorkers implements io.tasque.broker.WorkerDirectory {
        private final Map<String, String> entries = new ConcurrentHashMap<>();

        @Override
        public void beat(String id, String json) {
            entries.put(id, json);
        }

        @Override
        public boolean removeWorker(String id) {
            return entries.remove(id) != null;
        }

        @Override
        public Map<String, String> listWorkers() {
            return Map.copyOf(entries);
        }
    }
}
