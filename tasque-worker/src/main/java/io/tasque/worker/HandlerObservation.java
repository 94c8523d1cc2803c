package io.tasque.worker;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.tasque.Task;

/**
 * Observes every handler run with the {@link ObservationRegistry} given to {@link Worker.Builder#observationRegistry}:
 * one observation named {@value #NAME} per run, of kind consumer, whose trace context a tracing handler on the registry
 * reads from the task's headers (put there by a client given a registry, e.g. W3C {@code traceparent}), so the run is
 * a child of the submit that caused it. The outermost interceptor: the user's interceptors and the handler run inside
 * its scope. A failed run is recorded as the observation's error.
 */
final class HandlerObservation implements HandlerInterceptor {

    /** The observation's name. */
    static final String NAME = "tasque.process";
    /** Low-cardinality key: the task name. */
    static final String TASK = "tasque.task";
    /** High-cardinality keys: the job id and the attempt. */
    static final String JOB = "tasque.job";
    static final String ATTEMPT = "tasque.attempt";

    private final ObservationRegistry registry;

    private HandlerObservation(ObservationRegistry registry) {
        this.registry = registry;
    }

    /** The interceptor for {@code registry}, or null without one (or with the no-op registry): nothing is observed. */
    static HandlerObservation of(ObservationRegistry registry) {
        return registry == null || registry.isNoop() ? null : new HandlerObservation(registry);
    }

    @Override
    public void intercept(Task task, Proceed next) throws Exception {
        ReceiverContext<Task> context = new ReceiverContext<>((carrier, key) -> carrier.header(key), Kind.CONSUMER);
        context.setCarrier(task);
        Observation o = Observation.createNotStarted(NAME, () -> context, registry)
                .contextualName(task.name() + " process")
                .lowCardinalityKeyValue(TASK, task.name())
                .highCardinalityKeyValue(JOB, task.id())
                .highCardinalityKeyValue(ATTEMPT, Integer.toString(task.attempt()))
                .start();
        try (Observation.Scope scope = o.openScope()) {
            next.proceed();
        } catch (Exception | Error e) {
            o.error(e);
            throw e;
        } finally {
            o.stop();
        }
    }
}
