package io.tasque.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.worker.Worker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code tasque.worker.enabled=false}: an application with handlers gets a client and no worker. */
@SpringBootTest(classes = WorkerDisabledTest.App.class, properties = "tasque.worker.enabled=false")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD) // closed before @AfterAll stops its Redis
class WorkerDisabledTest {

    static final RedisServer redis = RedisServer.start();

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("tasque.broker", redis::uri);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    TasqueClient client;

    @Test
    void aDisabledWorkerLeavesAClientAndNoWorkerBean() {
        assertThat(context.getBeansOfType(Worker.class)).isEmpty();
        assertThat(context.getBeansOfType(TasqueWorkerLifecycle.class)).isEmpty();

        assertThat(client.submit(Task.of("ignored"))).isNotBlank();
    }

    /** A handler that must not run. */
    static final class Ignored {
        @TasqueHandler("ignored")
        void run(Task task) {
            throw new AssertionError("no worker should run this");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Ignored ignored() {
            return new Ignored();
        }
    }
}
