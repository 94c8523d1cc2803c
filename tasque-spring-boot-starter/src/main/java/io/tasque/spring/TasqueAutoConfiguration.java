package io.tasque.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.tasque.client.TasqueClient;
import io.tasque.worker.Worker;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of tasque: a {@link TasqueClient} bean on {@code tasque.broker}; one {@link Worker} running
 * every {@link TasqueHandler} of the application, started after the context is refreshed and drained when it
 * closes (only when there is a handler and {@code tasque.worker.enabled} is not false); and, with actuator, the
 * {@code tasque} health indicator. The context's {@link MeterRegistry} and {@link ObservationRegistry}, when it has
 * them, go to the worker (metrics and tracing) and the client (tracing).
 */
@AutoConfiguration
@EnableConfigurationProperties(TasqueProperties.class)
public class TasqueAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TasqueAutoConfiguration.class);

    /** The client for submits, cancels and the admin view; closed with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public TasqueClient tasqueClient(TasqueProperties properties, ObjectProvider<ObservationRegistry> observations,
            ObjectProvider<MeterRegistry> meters) {
        TasqueClient.Builder builder = TasqueClient.builder()
                .broker(properties.getBroker())
                .enqueueTimeout(properties.getClient().getEnqueueTimeout())
                .ttl(properties.getClient().getTtl());
        observations.ifAvailable(builder::observationRegistry);
        meters.ifAvailable(builder::meterRegistry);
        return builder.build();
    }

    /** The worker of the application's handlers, and the lifecycle that starts and drains it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "tasque.worker.enabled", matchIfMissing = true)
    @Conditional(OnTasqueHandlersCondition.class)
    static class WorkerConfiguration {

        /**
         * One worker for every handler found; started by {@link TasqueWorkerLifecycle}, not here, and without a JVM
         * shutdown hook of its own: the context's close drains it.
         */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        Worker tasqueWorker(TasqueProperties properties, ConfigurableListableBeanFactory beanFactory,
                ObjectProvider<MeterRegistry> meters, ObjectProvider<ObservationRegistry> observations) {
            TasqueProperties.WorkerSettings settings = properties.getWorker();
            Worker.Builder builder = Worker.builder()
                    .broker(properties.getBroker())
                    .concurrency(settings.getConcurrency())
                    .gracePeriod(settings.getGracePeriod())
                    .lease(settings.getLease())
                    .maxAttempts(settings.getMaxAttempts())
                    .shutdownHook(false);
            Map<String, HandlerScan.Found> handlers = HandlerScan.collect(beanFactory);
            for (HandlerScan.Found h : handlers.values()) {
                builder.handle(h.taskName(), h.handler());
                log.debug("tasque handler for '{}': {}", h.taskName(), h.source());
            }
            meters.ifAvailable(builder::meterRegistry);
            observations.ifAvailable(builder::observationRegistry);
            return builder.build();
        }

        @Bean
        TasqueWorkerLifecycle tasqueWorkerLifecycle(Worker tasqueWorker) {
            return new TasqueWorkerLifecycle(tasqueWorker);
        }
    }

    /** The actuator's {@code tasque} health, when actuator's health support is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("tasque")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "tasqueHealthIndicator")
        HealthIndicator tasqueHealthIndicator(TasqueClient tasqueClient, ObjectProvider<Worker> worker) {
            return new TasqueHealthIndicator(tasqueClient, worker);
        }
    }
}
