package io.tasque.client;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import io.tasque.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Observes submits with the {@link ObservationRegistry} given to {@link TasqueClient.Builder#observationRegistry}: each
 * {@code submit} (and each {@code submitAll} call) is one observation named {@value #NAME}, of kind producer, and a
 * tracing handler on the registry puts its context (with OpenTelemetry or Brave set up for W3C, the
 * {@code traceparent}) into the headers of the tasks submitted, so the worker's handler run continues the trace.
 * Without a registry (or with the no-op one) nothing is observed and no header is added.
 */
final class SubmitTracing {

    /** The observation's name. */
    static final String NAME = "tasque.submit";
    /** Low-cardinality key: the task name, or {@value #SEVERAL} for a {@code submitAll} of several names. */
    static final String TASK = "tasque.task";
    /** High-cardinality key: the job id (a single submit), or the number of jobs (a {@code submitAll}). */
    static final String JOB = "tasque.job";
    static final String JOBS = "tasque.jobs";
    static final String SEVERAL = "(several)";

    private final ObservationRegistry registry;

    SubmitTracing(ObservationRegistry registry) {
        this.registry = registry == null || registry.isNoop() ? null : registry;
    }

    boolean on() {
        return registry != null;
    }

    /** The task name all of {@code tasks} share, or {@value #SEVERAL}. */
    static String commonName(java.util.Collection<Task> tasks) {
        String name = null;
        for (Task t : tasks) {
            if (t == null || (name != null && !t.name().equals(name))) {
                return SEVERAL;
            }
            name = t.name();
        }
        return name == null ? SEVERAL : name;
    }

    /** A started observation of a submit of {@code tasks}; its context's headers go into each task with {@link #carry}. */
    Observation start(List<Task> tasks) {
        String name = commonName(tasks);
        SenderContext<Map<String, String>> context = new SenderContext<>((carrier, key, value) -> carrier.put(key, value), Kind.PRODUCER);
        context.setCarrier(new LinkedHashMap<>());
        Observation o = Observation.createNotStarted(NAME, () -> context, registry)
                .contextualName(name + " publish")
                .lowCardinalityKeyValue(TASK, name);
        if (tasks.size() != 1) {
            o.highCardinalityKeyValue(JOBS, Integer.toString(tasks.size()));
        }
        return o.start();
    }

    /** {@code task} with the headers the observation's tracing handlers put in its carrier (none: the task itself). */
    @SuppressWarnings("unchecked")
    static Task carry(Observation o, Task task) {
        Map<String, String> headers = ((SenderContext<Map<String, String>>) o.getContext()).getCarrier();
        Task t = task;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            t = t.header(h.getKey(), h.getValue());
        }
        return t;
    }
}
