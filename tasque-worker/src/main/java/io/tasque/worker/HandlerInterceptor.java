package io.tasque.worker;

import io.tasque.Task;

/**
 * Code that runs around every handler run of a {@link Worker}: logging context, an auth or tenant context taken
 * from the task's headers, timing, a last check before the work. Registered with
 * {@link Worker.Builder#intercept}; the first one registered is the outermost, and the innermost
 * {@link Proceed#proceed()} runs the handler. All of them run on the handler thread, under the handler's timeout,
 * with the MDC keys {@code tasque.job}, {@code tasque.task} and {@code tasque.attempt} already set.
 *
 * <p>An interceptor decides the run as a handler would: returning normally (whether or not it proceeded) makes the
 * run succeed, so one that does not call {@code next.proceed()} skips the handler and the job is acked; throwing
 * makes it a failed run, retried or dead-lettered by the handler's rules ({@link PermanentFailure} included).
 */
@FunctionalInterface
public interface HandlerInterceptor {

    /** Runs around the rest of the chain for {@code task}; call {@code next.proceed()} at most once to go on. */
    void intercept(Task task, Proceed next) throws Exception;

    /** The rest of the chain: the next interceptor, or the handler after the last. */
    @FunctionalInterface
    interface Proceed {

        /**
         * Runs the rest of the chain; what it throws is the handler's failure (rethrow it, or the run succeeds).
         *
         * @throws IllegalStateException when called a second time in the same run
         */
        void proceed() throws Exception;
    }
}
