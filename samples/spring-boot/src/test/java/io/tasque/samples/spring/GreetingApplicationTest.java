package io.tasque.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD) // closed before @AfterAll stops its Redis
class GreetingApplicationTest {

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
    TasqueClient client;

    @Autowired
    Greeter greeter;

    @Test
    void aSubmittedGreetingIsHandled() {
        client.submit(Task.of("greet").set("name", "Ada"));

        await().atMost(Duration.ofSeconds(10)).until(() -> greeter.greeted().contains("Ada"));
    }
}
