package io.tasque.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler of the task named {@link #value()} for the auto-configured worker: either a method of a bean that
 * takes one {@link io.tasque.Task} (it may throw; returning normally acks the job), or a bean that implements
 * {@link io.tasque.worker.TaskHandler} (on its class, or on the {@code @Bean} method that makes it).
 *
 * <pre>{@code
 * @Component
 * class Mailer {
 *     @TasqueHandler("send-mail")
 *     void send(Task task) throws IOException { … }
 * }
 * }</pre>
 *
 * Each task name may have one handler in the application; two fail the startup, naming both beans.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface TasqueHandler {

    /** The task name this handler runs, as given to {@code Task.of(name)}. */
    String value();
}
