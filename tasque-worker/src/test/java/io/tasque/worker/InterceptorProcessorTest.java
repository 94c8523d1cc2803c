package io.tasque.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Brokers;
import io.tasque.broker.Delivery;
import io.tasque.client.TasqueClient;
import io.tasque.retry.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.slf4j.TestMdc;

/**
 * Headers, interceptors and the MDC on the {@code memory://} broker, one run at a time on the calling thread
 * (which is then the handler thread), so the MDC can be looked at before and after the run.
 */
class InterceptorProcessorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final String uri = "memory://interceptors-" + UUID.randomUUID();
    private final Broker broker = Brokers.open(uri, BrokerOptions.defaults());
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final InFlight inFlight = new InFlight();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private TasqueClient client;
    private WorkerConfig config;
    private Processor processor;

    @BeforeAll
    static void workingMdc() {
        TestMdc.useWorkingAdapter();
    }

    @AfterEach
    void closeAll() {
        if (processor != null) {
            processor.stop(WAIT);
        }
        timers.shutdownNow();
        if (client != null) {
            client.close();
        }
        broker.close();
        MDC.clear();
    }

    private Processor processor(Worker.Builder b) {
        config = b.broker(broker).concurrency(1).shutdownHook(false).retryPolicy(RetryPolicy.fixed(Duration.ofSeconds(1))).config();
        processor = new Processor(config, broker.codec(Integer.MAX_VALUE), inFlight, new WorkerMetrics(null, inFlight::size), timers,
                (run, handler, outcome) -> events.add("given up"));
        return processor;
    }

    private Outcome runOne(String name) {
        List<Delivery> leased = broker.reserve(List.of(name), 1, Duration.ofSeconds(30)).deliveries();
        assertEquals(1, leased.size());
        return processor.run(inFlight.add(leased.get(0)), config.handlers().get(name));
    }

    @Test
    void headersFromTheTaskAndASubmitInterceptorReachTheHandlerInsideTheInterceptorsInOrder() {
        client = TasqueClient.builder().broker(uri)
                .intercept(t -> t.header("tenant", "acme"))
                .intercept(t -> t.header("seen-by", "second:" + t.header("tenant")))
                .build();
        AtomicReference<Task> handled = new AtomicReference<>();
        processor(Worker.builder()
                .intercept((task, next) -> {
                    events.add("outer before " + task.header("trace"));
                    next.proceed();
                    events.add("outer after");
                })
                .intercept((task, next) -> {
                    events.add("inner before " + task.id());
                    next.proceed();
                    events.add("inner after");
                })
                .handle("h", task -> {
                    events.add("handler");
                    handled.set(task);
                }));
        String id = client.submit(Task.of("h").set("n", 1).header("trace", "t-1"));

        assertEquals(Outcome.SUCCEEDED, runOne("h"));
        assertEquals(List.of("outer before t-1", "inner before " + id, "handler", "inner after", "outer after"), events);
        assertEquals(Map.of("trace", "t-1", "tenant", "acme", "seen-by", "second:acme"), handled.get().headers());
        assertEquals(List.of("trace", "tenant", "seen-by"), List.copyOf(handled.get().headers().keySet()));
        assertEquals(1, handled.get().param("n", Integer.class));
    }

    @Test
    void theMdcNamesTheJobDuringTheRunAndGetsItsEarlierValuesBackAfterIt() {
        client = TasqueClient.builder().broker(uri).build();
        AtomicReference<Map<String, String>> inInterceptor = new AtomicReference<>();
        AtomicReference<Map<String, String>> inHandler = new AtomicReference<>();
        processor(Worker.builder()
                .intercept((task, next) -> {
                    inInterceptor.set(MDC.getCopyOfContextMap());
                    next.proceed();
                })
                .handle("logged", task -> inHandler.set(MDC.getCopyOfContextMap())));
        String id = client.submit(Task.of("logged"));
        MDC.put(HandlerMdc.TASK, "caller's own value");
        MDC.put("unrelated", "kept");

        assertEquals(Outcome.SUCCEEDED, runOne("logged"));
        Map<String, String> expected = Map.of("tasque.job", id, "tasque.task", "logged", "tasque.attempt", "1", "unrelated", "kept");
        assertEquals(expected, inInterceptor.get(), "set before the interceptors run");
        assertEquals(expected, inHandler.get());
        assertNull(MDC.get(HandlerMdc.JOB), "removed after the run");
        assertNull(MDC.get(HandlerMdc.ATTEMPT));
        assertEquals("caller's own value", MDC.get(HandlerMdc.TASK), "an earlier value is put back");
        assertEquals("kept", MDC.get("unrelated"));
    }

    @Test
    void anInterceptorThatThrowsFailsTheRunWhichIsRetriedAndTheHandlerDoesNotRun() {
        client = TasqueClient.builder().broker(uri).build();
        processor(Worker.builder()
                .intercept((task, next) -> {
                    throw new SecurityException("no tenant header");
                })
                .handle("guarded", task -> events.add("handler")));
        client.submit(Task.of("guarded"));

        Outcome.Retry retry = assertInstanceOf(Outcome.Retry.class, runOne("guarded"));
        assertTrue(retry.error().startsWith("java.lang.SecurityException: no tenant header"), retry.error());
        assertEquals(List.of(), events);
        assertNull(MDC.get(HandlerMdc.JOB), "the MDC is cleared after a failed run too");
    }

    @Test
    void anInterceptorThatReturnsWithoutProceedingSucceedsWithoutTheHandler() {
        client = TasqueClient.builder().broker(uri).build();
        processor(Worker.builder()
                .intercept((task, next) -> events.add("skipped " + task.name()))
                .handle("skip", task -> events.add("handler")));
        client.submit(Task.of("skip"));

        assertEquals(Outcome.SUCCEEDED, runOne("skip"));
        assertEquals(List.of("skipped skip"), events);
    }

    @Test
    void proceedingTwiceIsAFailedRunNamingTheInterceptorAndTheHandlerRunsOnce() {
        client = TasqueClient.builder().broker(uri).build();
        processor(Worker.builder()
                .intercept((task, next) -> {
                    next.proceed();
                    next.proceed();
                })
                .handle("twice", task -> events.add("handler")));
        client.submit(Task.of("twice"));

        Outcome.Retry retry = assertInstanceOf(Outcome.Retry.class, runOne("twice"));
        assertTrue(retry.error().contains("handler interceptor #1") && retry.error().contains("called next.proceed() twice"), retry.error());
        assertEquals(List.of("handler"), events);
    }

    @Test
    void withoutInterceptorsTheHandlerIsCalledUnwrapped() {
        TaskHandler body = task -> { };
        config = Worker.builder().broker(broker).shutdownHook(false).handle("plain", body).config();
        assertSame(body, config.handlers().get("plain").body());
        config = Worker.builder().broker(broker).shutdownHook(false).intercept((t, n) -> n.proceed()).handle("plain", body).config();
        assertInstanceOf(InterceptedHandler.class, config.handlers().get("plain").body());
    }
}
