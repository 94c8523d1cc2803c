package io.tasque.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.InterceptedBroker;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Errors (not exceptions) out of the broker while many threads submit at once, so their submits share batches:
 * one send throws before Redis sees the batch, a later one after Redis stored it. Every submit either returns an
 * id or throws — none hangs — and every returned id runs on a worker process: lost=0.
 */
@WithRedis
@Tag("slow")
class SubmitErrorTest {

    private static final int THREADS = 16;
    private static final int EACH = 150;
    /** The enqueue calls that throw: the 20th before it reaches Redis, the 60th after Redis stored its jobs. */
    private static final int THROW_BEFORE = 20;
    private static final int THROW_AFTER = 60;

    /** What the wrapped broker throws, as a broker bug or an out-of-memory would. */
    static final class InjectedError extends Error {
        InjectedError(String when) {
            super("injected " + when + " the send");
        }
    }

    private final RedisServer redis;
    private final AtomicInteger sends = new AtomicInteger();
    private Scenario scenario;

    SubmitErrorTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void setUp() {
        scenario = new Scenario("submit-error", redis, TasqueClient.builder().broker(throwingErrors()));
    }

    @AfterEach
    void tearDown() {
        scenario.close();
    }

    @Test
    void concurrentSubmitsThroughAnErrorEitherReturnAnIdThatCompletesOrThrow() throws Exception {
        scenario.start(scenario.worker("A").concurrency(8));
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> submitters = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            submitters.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < EACH; i++) {
                    try {
                        ids.add(scenario.client().submit(Behaviour.plain(thread * EACH + i)));
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : submitters) {
            f.get(2, TimeUnit.MINUTES); // a submitter parked forever would fail here
        }
        pool.shutdown();

        assertTrue(sends.get() > THROW_AFTER, "both faults happened: " + sends.get() + " sends");
        assertEquals(THREADS * EACH, ids.size() + failures.size(), "every submit returned or threw");
        assertTrue(failures.stream().allMatch(e -> e instanceof InjectedError || e.getCause() instanceof InjectedError),
                () -> "only the injected errors failed submits: " + failures);
        String summary = "submit-error: " + ids.size() + " submits returned an id, " + failures.size()
                + " threw (two injected Errors, " + sends.get() + " sends)";
        System.out.println(summary);
        Accounting.report(summary);
        scenario.settle(new ArrayList<>(ids), Duration.ofMinutes(2)).assertNothingLost().assertNoneDead();
    }

    /** The real Redis broker, whose enqueue throws an Error on the chosen calls. */
    private Broker throwingErrors() {
        Broker real = Brokers.open(redis.uri(), BrokerOptions.defaults());
        return InterceptedBroker.around(real, (method, args, proceed) -> {
            int call = method.equals("enqueueNew") ? sends.incrementAndGet() : 0;
            if (call == THROW_BEFORE) {
                throw new InjectedError("before");
            }
            Object result = proceed.call();
            if (call == THROW_AFTER) {
                throw new InjectedError("after");
            }
            return result;
        });
    }
}
