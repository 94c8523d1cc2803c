package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A submit and the handler runs it caused are one trace, through a real Redis and a real tracer: OpenTelemetry's SDK
 * behind Micrometer Tracing's bridge, W3C propagation, spans kept by OpenTelemetry's in-memory exporter.
 */
@WithRedis
class TracingTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final RedisServer redis;
    private final WorkerFixture fixture;
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    private final Tracer tracer;
    private final ObservationRegistry registry = ObservationRegistry.create();

    TracingTest(RedisServer redis) {
        this.redis = redis;
        this.fixture = new WorkerFixture(redis);
        ContextPropagators propagators = ContextPropagators.create(W3CTraceContextPropagator.getInstance());
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).setPropagators(propagators).build();
        io.opentelemetry.api.trace.Tracer otel = sdk.getTracerProvider().get("tasque-test");
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        this.tracer = new OtelTracer(otel, current, event -> { }, new OtelBaggageManager(current, List.of(), List.of()));
        OtelPropagator propagator = new OtelPropagator(propagators, otel);
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
    }

    @AfterEach
    void closeAll() {
        fixture.close();
        provider.close();
    }

    @Test
    void aSubmitAndEveryRunOfItsJobAreOneTraceWithTheJobKeys() {
        Map<Integer, String> traceparents = new ConcurrentHashMap<>();
        Map<Integer, String> traceSeenInHandler = new ConcurrentHashMap<>();
        fixture.start(fixture.builder().observationRegistry(registry)
                .retryBackoff(Duration.ofMillis(10), 1, Duration.ofMillis(10))
                .handle("traced", task -> {
                    traceparents.put(task.attempt(), task.header("traceparent"));
                    traceSeenInHandler.put(task.attempt(), tracer.currentSpan().context().traceId());
                    if (task.attempt() == 1) {
                        throw new IllegalStateException("first run fails");
                    }
                }));
        String id;
        String requestTrace;
        try (TasqueClient client = TasqueClient.builder().broker(redis.uri()).observationRegistry(registry).build()) {
            Span request = tracer.nextSpan().name("http request").start();
            try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
                id = client.submit(Task.of("traced").set("n", 1));
            } finally {
                request.end();
            }
            requestTrace = request.context().traceId();
        }
        await().atMost(WAIT).until(() -> spansNamed("traced process").size() == 2);

        SpanData publish = spansNamed("traced publish").get(0);
        assertEquals(SpanKind.PRODUCER, publish.getKind());
        assertEquals(requestTrace, publish.getTraceId(), "the submit joins the caller's trace");
        assertEquals("traced", publish.getAttributes().get(AttributeKey.stringKey("tasque.task")));
        assertEquals(id, publish.getAttributes().get(AttributeKey.stringKey("tasque.job")));

        List<SpanData> runs = spansNamed("traced process");
        for (SpanData run : runs) {
            assertEquals(SpanKind.CONSUMER, run.getKind());
            assertEquals(requestTrace, run.getTraceId(), "the run continues the submit's trace");
            assertEquals(publish.getSpanId(), run.getParentSpanId(), "the run is a child of the submit");
            assertEquals(id, run.getAttributes().get(AttributeKey.stringKey("tasque.job")));
            assertEquals("traced", run.getAttributes().get(AttributeKey.stringKey("tasque.task")));
        }
        SpanData first = runs.stream().filter(s -> "1".equals(s.getAttributes().get(AttributeKey.stringKey("tasque.attempt")))).findFirst().orElseThrow();
        SpanData second = runs.stream().filter(s -> "2".equals(s.getAttributes().get(AttributeKey.stringKey("tasque.attempt")))).findFirst().orElseThrow();
        assertEquals(StatusCode.ERROR, first.getStatus().getStatusCode(), "the failed run is an error");
        assertTrue(second.getStatus().getStatusCode() != StatusCode.ERROR);

        // version 00, trace id, the submit's span id, then the trace flags
        String expected = "00-" + requestTrace + "-" + publish.getSpanId() + "-";
        assertTrue(traceparents.get(1).startsWith(expected), "W3C traceparent in the task's headers: " + traceparents.get(1));
        assertEquals(traceparents.get(1), traceparents.get(2), "the retry carries the same header");
        assertEquals(requestTrace, traceSeenInHandler.get(1), "the handler runs inside the trace");
    }

    @Test
    void aSubmitAllIsOneObservationWhoseContextEveryJobCarries() {
        Map<String, String> traceparents = new ConcurrentHashMap<>();
        fixture.start(fixture.builder().observationRegistry(registry).handle("batch", task -> traceparents.put(task.id(), task.header("traceparent"))));
        List<String> ids;
        try (TasqueClient client = TasqueClient.builder().broker(redis.uri()).observationRegistry(registry).build()) {
            ids = client.submitAll(List.of(Task.of("batch"), Task.of("batch"), Task.of("batch")));
        }
        await().atMost(WAIT).until(() -> traceparents.size() == 3 && spansNamed("batch process").size() == 3);
        SpanData publish = spansNamed("batch publish").get(0);
        assertEquals("3", publish.getAttributes().get(AttributeKey.stringKey("tasque.jobs")));
        for (String id : ids) {
            assertTrue(traceparents.get(id).startsWith("00-" + publish.getTraceId() + "-" + publish.getSpanId() + "-"), traceparents.get(id));
        }
        for (SpanData run : spansNamed("batch process")) {
            assertEquals(publish.getSpanId(), run.getParentSpanId());
        }
    }

    @Test
    void withoutARegistryNothingIsAddedToTheTask() {
        Map<String, Map<String, String>> headers = new ConcurrentHashMap<>();
        fixture.start(fixture.builder().handle("plain", task -> headers.put(task.id(), task.headers())));
        String id;
        try (TasqueClient client = TasqueClient.connect(redis.uri())) {
            Span request = tracer.nextSpan().name("http request").start();
            try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
                id = client.submit(Task.of("plain"));
            } finally {
                request.end();
            }
        }
        await().atMost(WAIT).until(() -> headers.containsKey(id));
        assertEquals(Map.of(), headers.get(id));
        assertEquals(List.of("http request"), spans.getFinishedSpanItems().stream().map(SpanData::getName).toList());
    }

    private List<SpanData> spansNamed(String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    }
}
