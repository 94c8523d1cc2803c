package io.tasque.worker;

import io.tasque.Task;
import java.util.List;

/**
 * A handler body with the worker's {@link HandlerInterceptor}s around it, first registered outermost. Built once
 * per handler when the worker is built; a worker without interceptors keeps its handlers unwrapped, so a run costs
 * nothing extra. With interceptors, a run allocates one small {@link HandlerInterceptor.Proceed} per interceptor.
 */
final class InterceptedHandler implements TaskHandler {

    private final HandlerInterceptor[] chain;
    private final TaskHandler body;

    private InterceptedHandler(HandlerInterceptor[] chain, TaskHandler body) {
        this.chain = chain;
        this.body = body;
    }

    /** {@code body} itself when there are no interceptors, else {@code body} inside them. */
    static TaskHandler around(List<HandlerInterceptor> interceptors, TaskHandler body) {
        return interceptors.isEmpty() ? body : new InterceptedHandler(interceptors.toArray(new HandlerInterceptor[0]), body);
    }

    @Override
    public void handle(Task task) throws Exception {
        runFrom(0, task);
    }

    private void runFrom(int index, Task task) throws Exception {
        if (index == chain.length) {
            body.handle(task);
        } else {
            chain[index].intercept(task, new Step(index, task));
        }
    }

    /** What interceptor {@code index} calls to go on: runs the chain from {@code index + 1}, once. */
    private final class Step implements HandlerInterceptor.Proceed {
        private final int index;
        private final Task task;
        private boolean proceeded;

        Step(int index, Task task) {
            this.index = index;
            this.task = task;
        }

        @Override
        public void proceed() throws Exception {
            if (proceeded) {
                throw new IllegalStateException("handler interceptor #" + (index + 1) + " (" + chain[index].getClass().getName()
                        + ") called next.proceed() twice for job " + task.id() + "; the handler runs at most once per run");
            }
            proceeded = true;
            runFrom(index + 1, task);
        }
    }
}
