package io.tasque.client;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.tasque.broker.BrokerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the client's broker calls through a resilience4j circuit breaker, so a dead broker makes submits fail
 * fast instead of each one waiting out the enqueue timeout; logs each state change once. On a broker of several
 * shards there is one per shard ({@link SubmitLanes}), so one shard's outage does not refuse the others' submits.
 */
final class SubmitGuard {

    private static final Logger log = LoggerFactory.getLogger(SubmitGuard.class);

    private final String broker;
    /** " (shard …)" on a broker of several shards, else empty: said in the log and the fail-fast error. */
    private final String shard;
    private final CircuitBreaker breaker;
    private final CircuitBreakerSettings settings;

    SubmitGuard(String broker, String shard, CircuitBreakerSettings settings) {
        this.broker = broker;
        this.shard = shard.isEmpty() ? "" : " (shard " + shard + ")";
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
        this.breaker = CircuitBreaker.of("tasque-submit " + broker + this.shard, config);
        breaker.getEventPublisher().onStateTransition(e ->
                log.warn("submit circuit for {}{}: {}", broker, this.shard, e.getStateTransition()));
    }

    <T> T call(java.util.function.Supplier<T> call) {
        if (breaker == null) {
            return call.get();
        }
        try {
            return breaker.executeSupplier(call);
        } catch (CallNotPermittedException e) {
            throw new BrokerException(broker, "failing fast: the last submits" + shard + " failed, so calls pause for "
                    + settings.openFor() + " before trying the broker again (circuit breaker open)", e);
        }
    }
}
