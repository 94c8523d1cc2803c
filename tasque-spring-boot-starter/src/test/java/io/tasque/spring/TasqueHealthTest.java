package io.tasque.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tasque.Task;
import io.tasque.testkit.RedisServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The actuator's {@code tasque} health follows the client and the worker while their Redis is paused and resumed. */
@SpringBootTest(classes = TasqueHealthTest.App.class, properties = "tasque.client.enqueue-timeout=1s")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD) // closed before @AfterAll stops its Redis
class TasqueHealthTest {

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
    HealthContributorRegistry registry;

    @Test
    void healthIsUpThenDownWhileRedisIsPausedThenUpAgain() {
        HealthIndicator tasque = (HealthIndicator) registry.getContributor("tasque");
        assertThat(tasque).as("the health contributor named tasque").isNotNull();

        Health up = tasque.health();
        assertThat(up.getStatus()).isEqualTo(Status.UP);
        assertThat(detail(up, "client")).containsEntry("open", true).containsEntry("brokerReachable", true);
        assertThat(detail(up, "worker")).containsEntry("running", true).containsEntry("brokerReachable", true);

        redis.pause();
        try {
            Health down = tasque.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(detail(down, "client")).containsEntry("brokerReachable", false);
            assertThat((String) detail(down, "client").get("lastError")).startsWith("unreachable: ");
        } finally {
            redis.resume();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> tasque.health().getStatus().equals(Status.UP));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Health health, String key) {
        return (Map<String, Object>) health.getDetails().get(key);
    }

    /** One handler, so the application runs a worker too. */
    static final class Noop {
        @TasqueHandler("noop")
        void run(Task task) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Noop noop() {
            return new Noop();
        }
    }
}
