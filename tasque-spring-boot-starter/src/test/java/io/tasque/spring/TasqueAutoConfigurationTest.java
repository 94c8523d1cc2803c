package io.tasque.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.worker.TaskHandler;
import io.tasque.worker.Worker;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration's conditions and startup checks, each in a context of its own. */
class TasqueAutoConfigurationTest {

    static final RedisServer redis = RedisServer.start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TasqueAutoConfiguration.class))
            .withPropertyValues("tasque.broker=" + redis.uri());

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void noHandlerMeansAClientAndNoWorker() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(TasqueClient.class);
            assertThat(context).doesNotHaveBean(Worker.class);
            assertThat(context).doesNotHaveBean(TasqueWorkerLifecycle.class);
        });
    }

    @Test
    void aHandlerMeansOneStartedWorker() {
        runner.withUserConfiguration(MethodHandler.class).run(context -> {
            assertThat(context).hasSingleBean(Worker.class);
            assertThat(context.getBean(Worker.class).isRunning()).isTrue();
        });
    }

    @Test
    void workerEnabledFalseMeansNoWorker() {
        runner.withUserConfiguration(MethodHandler.class).withPropertyValues("tasque.worker.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(Worker.class).hasSingleBean(TasqueClient.class));
    }

    @Test
    void twoHandlersOfOneTaskFailTheStartupNamingBothBeans() {
        runner.withUserConfiguration(MethodHandler.class, SameNameHandlerBean.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("task 'echo' has two handlers")
                    .hasMessageContaining("method 'echo' of bean 'tasqueAutoConfigurationTest.MethodHandler'")
                    .hasMessageContaining("bean 'echoHandler'");
        });
    }

    @Test
    void anAnnotatedBeanThatIsNoTaskHandlerFailsTheStartup() {
        runner.withUserConfiguration(NotAHandler.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("bean 'tasqueAutoConfigurationTest.NotAHandler' is annotated @TasqueHandler(\"x\")")
                    .hasMessageContaining("does not implement io.tasque.worker.TaskHandler");
        });
    }

    @Test
    void aHandlerMethodWithTheWrongParametersFailsTheStartup() {
        runner.withUserConfiguration(WrongParameters.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("@TasqueHandler method 'run' of bean 'tasqueAutoConfigurationTest.WrongParameters'")
                    .hasMessageContaining("must take exactly one io.tasque.Task parameter");
        });
    }

    @Test
    void theContextsMeterRegistryCountsTheClientsSubmitsAndTheWorkersJobs() {
        runner.withUserConfiguration(MethodHandler.class, Meters.class).run(context -> {
            context.getBean(TasqueClient.class).submit(Task.of("echo"));
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            await().atMost(Duration.ofSeconds(10)).until(() -> meters.find("tasque.jobs").tag("task", "echo").counter() != null
                    && meters.find("tasque.jobs").tag("task", "echo").counter().count() == 1);
            assertThat(meters.find("tasque.submits").tags("task", "echo", "outcome", "stored").counter().count()).isEqualTo(1.0);
        });
    }

    @Test
    void theHealthIndicatorIsThereWithActuatorAndGoneWithout() {
        runner.run(context -> assertThat(context).hasBean("tasqueHealthIndicator"));
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean("tasqueHealthIndicator");
                });
    }

    @Test
    void theDefaultsOfThePropertiesAreTheLibrarys() {
        TasqueProperties p = new TasqueProperties();

        assertThat(p.getClient().getEnqueueTimeout()).isEqualTo(TasqueClient.DEFAULT_ENQUEUE_TIMEOUT);
        assertThat(p.getClient().getTtl()).isEqualTo(TasqueClient.DEFAULT_TTL);
        assertThat(p.getWorker().getConcurrency()).isEqualTo(Worker.DEFAULT_CONCURRENCY);
        assertThat(p.getWorker().getGracePeriod()).isEqualTo(Worker.DEFAULT_GRACE_PERIOD);
        assertThat(p.getWorker().getLease()).isEqualTo(Worker.DEFAULT_LEASE);
        assertThat(p.getWorker().getMaxAttempts()).isEqualTo(Worker.DEFAULT_MAX_ATTEMPTS);
    }

    @Configuration(proxyBeanMethods = false)
    static class MethodHandler {
        @TasqueHandler("echo")
        void echo(Task task) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SameNameHandlerBean {
        @Bean
        @TasqueHandler("echo")
        TaskHandler echoHandler() {
            return task -> { };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @TasqueHandler("x")
    static class NotAHandler {
    }

    @Configuration(proxyBeanMethods = false)
    static class WrongParameters {
        @TasqueHandler("wrong")
        void run(String text) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Meters {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
