package io.tasque.client;

import io.tasque.Task;
import java.util.List;

/** A client's {@link SubmitInterceptor}s in registration order, applied to each task before it is encoded. */
final class SubmitInterceptors {

    private final SubmitInterceptor[] chain;

    SubmitInterceptors(List<SubmitInterceptor> interceptors) {
        this.chain = interceptors.toArray(new SubmitInterceptor[0]);
    }

    /**
     * The task each interceptor in turn returned; {@code task} itself when there are none.
     *
     * @throws IllegalStateException naming the interceptor (its position and class) when one returns null
     */
    Task apply(Task task) {
        Task t = task;
        for (int i = 0; i < chain.length; i++) {
            Task next = chain[i].intercept(t);
            if (next == null) {
                throw new IllegalStateException("submit interceptor #" + (i + 1) + " (" + chain[i].getClass().getName()
                        + ") returned null for task '" + t.name() + "'; return the task to submit");
            }
            t = next;
        }
        return t;
    }
}
