package io.tasque.samples.foo;

import io.tasque.Task;
import io.tasque.worker.TaskHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Handles {@code foo} tasks: logs the {@code text} parameter with the job id and attempt number. */
public final class FooHandler implements TaskHandler {

    private static final Logger log = LoggerFactory.getLogger(FooHandler.class);

    @Override
    public void handle(Task task) {
        String text = task.require(FooTask.TEXT, String.class);
        log.info("foo [job {}, attempt {}]: {}", task.id(), task.attempt(), text);
    }
}
