package io.tasque.samples.spring;

import io.tasque.Task;
import io.tasque.spring.TasqueHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The handler of {@code greet} tasks: logs a greeting for the task's {@code name} and remembers who it greeted. */
@Component
public class Greeter {

    private static final Logger log = LoggerFactory.getLogger(Greeter.class);

    private final List<String> greeted = new CopyOnWriteArrayList<>();

    @TasqueHandler("greet")
    public void greet(Task task) {
        String name = task.param("name", String.class);
        log.info("hello, {} (job {}, attempt {})", name, task.id(), task.attempt());
        greeted.add(name);
    }

    /** The names greeted so far, in order. */
    public List<String> greeted() {
        return List.copyOf(greeted);
    }
}
