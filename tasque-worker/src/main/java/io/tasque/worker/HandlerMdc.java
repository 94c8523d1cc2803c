package io.tasque.worker;

import org.slf4j.MDC;

/**
 * The SLF4J MDC keys a worker sets on the handler thread for the length of every handler run (interceptors
 * included), so each log line a handler writes names its job: {@value #JOB} (the job id), {@value #TASK} (the task
 * name) and {@value #ATTEMPT} (1 for the first run). After the run each key gets back the value it had before,
 * or is removed if it had none.
 */
public final class HandlerMdc {

    /** MDC key of the job id. */
    public static final String JOB = "tasque.job";
    /** MDC key of the task name. */
    public static final String TASK = "tasque.task";
    /** MDC key of the attempt number. */
    public static final String ATTEMPT = "tasque.attempt";

    private HandlerMdc() {
    }

    /** Puts {@code value} under {@code key} and returns the value it replaces (null if none). */
    static String enter(String key, String value) {
        String previous = MDC.get(key);
        MDC.put(key, value);
        return previous;
    }

    /** Gives {@code key} back the value {@link #enter} returned for it. */
    static void leave(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
