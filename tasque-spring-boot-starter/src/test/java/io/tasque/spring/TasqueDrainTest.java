package io.tasque.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tasque.Task;
import io.tasque.client.QueueCounts;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.worker.Worker;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Closing the application context drains the worker: a job running at that moment finishes within the grace period
 * and is acked, not handed back to its queue. The test runs the application itself (a test-managed context must not
 * be closed by its test).
 */
class TasqueDrainTest {

    static final RedisServer redis = RedisServer.start();

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void closingTheContextLetsARunningJobFinish() throws InterruptedException {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .properties("tasque.broker=" + redis.uri(), "tasque.worker.grace-period=20s")
                .run();
        Held held = context.getBean(Held.class);
        Worker worker = context.getBean(Worker.class);
        context.getBean(TasqueClient.class).submit(Task.of("held"));
        await().atMost(Duration.ofSeconds(10)).until(() -> held.started.getCount() == 0);

        Thread closer = new Thread(context::close, "context-close");
        closer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !worker.isRunning());
        assertThat(closer.isAlive()).as("the close waits for the running job").isTrue();
        held.release.countDown();
        closer.join(Duration.ofSeconds(20).toMillis());

        assertThat(closer.isAlive()).as("the close ended once the job finished").isFalse();
        assertThat(held.finished.get()).isEqualTo(1);
        try (TasqueClient after = TasqueClient.connect(redis.uri())) {
            QueueCounts counts = after.admin().stats("held");
            assertThat(counts.ready()).as("handed back").isZero();
            assertThat(counts.running()).as("left leased").isZero();
            assertThat(counts.dead()).isZero();
        }
    }

    /** A handler that holds its job until released. */
    static final class Held {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger finished = new AtomicInteger();

        @TasqueHandler("held")
        void hold(Task task) throws InterruptedException {
            started.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            finished.incrementAndGet();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Held held() {
            return new Held();
        }
    }
}
