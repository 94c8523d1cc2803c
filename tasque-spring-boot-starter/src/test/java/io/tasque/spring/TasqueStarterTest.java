package io.tasque.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tasque.Task;
import io.tasque.client.QueueCounts;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.worker.TaskHandler;
import io.tasque.worker.Worker;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter in a Spring Boot application against a real Redis: the client bean submits, an annotated bean
 * method and a {@link TaskHandler} bean run their jobs in the one auto-started worker, and the properties bind.
 */
@SpringBootTest(classes = TasqueStarterTest.App.class,
        properties = {"tasque.worker.concurrency=3", "tasque.client.enqueue-timeout=2s"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD) // closed before @AfterAll stops its Redis
class TasqueStarterTest {

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
    Worker worker;

    @Autowired
    Recorder recorder;

    @Autowired
    Slow slow;

    @Test
    void theClientBeanSubmitsToTheConfiguredBroker() {
        String id = client.submit(Task.of("nobody-handles-this").set("text", "waits"));

        assertThat(id).isNotBlank();
        assertThat(client.broker()).isEqualTo(worker.broker());
        QueueCounts counts = client.admin().stats("nobody-handles-this");
        assertThat(counts.ready()).isEqualTo(1);
    }

    @Test
    void anAnnotatedBeanMethodRunsItsJobs() {
        client.submit(Task.of("greet").set("text", "hello"));

        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.seen().contains("greet: hello"));
    }

    @Test
    void aTaskHandlerBeanRunsItsJobs() {
        client.submit(Task.of("shout").set("text", "hey"));

        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.seen().contains("shout: HEY"));
    }

    @Test
    void theConcurrencyPropertyBindsToTheWorker() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            client.submit(Task.of("slow"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.running.get() == 3);
        slow.release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.finished.get() == 4);

        assertThat(slow.mostAtOnce.get()).as("jobs running at once with tasque.worker.concurrency=3").isEqualTo(3);
    }

    /** Handlers that hold their jobs until released, counting how many ran at once. */
    static final class Slow {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();

        @TasqueHandler("slow")
        void hold(Task task) throws InterruptedException {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                release.await(30, TimeUnit.SECONDS);
            } finally {
                running.decrementAndGet();
                finished.incrementAndGet();
            }
        }
    }

    /** A bean with a handler method. */
    static final class Greeter {
        private final Recorder recorder;

        Greeter(Recorder recorder) {
            this.recorder = recorder;
        }

        @TasqueHandler("greet")
        void greet(Task task) {
            recorder.saw("greet", task.param("text", String.class));
        }
    }

    /** A handler bean. */
    @TasqueHandler("shout")
    static final class Shouter implements TaskHandler {
        private final Recorder recorder;

        Shouter(Recorder recorder) {
            this.recorder = recorder;
        }

        @Override
        public void handle(Task task) {
            recorder.saw("shout", task.param("text", String.class).toUpperCase(java.util.Locale.ROOT));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Recorder recorder() {
            return new Recorder();
        }

        @Bean
        Greeter greeter(Recorder recorder) {
            return new Greeter(recorder);
        }

        @Bean
        Shouter shouter(Recorder recorder) {
            return new Shouter(recorder);
        }

        @Bean
        Slow slow() {
            return new Slow();
        }
    }
}
