package io.tasque.samples.spring;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application with one tasque handler ({@link Greeter}): the starter runs it in a worker on
 * {@code tasque.broker} ({@code TASQUE_BROKER}, else {@code redis://localhost:6379}) until Ctrl-C or SIGTERM, then
 * lets running tasks finish. Each argument not starting with {@code --} is submitted as a {@code greet} task.
 */
@SpringBootApplication
public class GreetingApplication {

    public static void main(String[] args) {
        SpringApplication.run(GreetingApplication.class, args);
    }

    /** Submits {@code greet} for every plain argument through the auto-configured client. */
    @Bean
    ApplicationRunner submitGreetings(TasqueClient client) {
        return args -> args.getNonOptionArgs()
                .forEach(name -> client.submit(Task.of("greet").set("name", name)));
    }
}
