package io.tasque.client;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.tasque.broker.BrokerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the client's broker calls through a resilience4j circuit breaker, so a dead broker makes submits fail
 * fast instead of each one waiting out the enqueue timeout; logs each state change once.
 */
final class SubmitGuard {

    private static final Logger log = LoggerFactory.getLogger(SubmitGuard.class);

    private final String broker;
    private final CircuitBreaker breaker;
    private final CircuitBreakerSettings settings;

    SubmitGuard(String broker, CircuitBreakerSettings settings) {
        this.broker = broker;
        this.settings = settings;
        if (!settings.enabled()) {
            this.breaker = null;
            return;
        }
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRatePercent())
                .minimumNumberOfCalls(settings.minimumCalls())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.windowSize())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordExceptions(BrokerException.class)
                .build();
        this.breaker = CircuitBreaker.of("tasque-submit " + broker, config);
        breaker.getEventPublisher().onStateTransition(e ->
                log.warn("submit circuit for {}: {}", broker, e.getStateTransition()));
    }

    <T> T call(java.util.function.Supplier<T> call) {
        if (breaker == null) {
            return call.get();
        }
        try {
            return breaker.executeSupplier(call);
        } catch (CallNotPermittedException e) {
            throw new BrokerException(broker, "failing fast: the last submits failed, so calls pause for "
                    + settings.openFor() + " before trying the broker again (circuit breaker open)", e);
        }
    }
}
