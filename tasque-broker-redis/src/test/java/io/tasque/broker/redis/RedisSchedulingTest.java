package io.tasque.broker.redis;

import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;

/** The schedules contract on one Redis server. */
@WithRedis
class RedisSchedulingTest extends SchedulingContract {

    private final RedisServer redis;

    RedisSchedulingTest(RedisServer redis) {
        this.redis = redis;
    }

    @Override
    protected RedisBroker open(BrokerOptions options) {
        return new RedisBroker(BrokerUri.parse(redis.uri()), options);
    }

    @Override
    protected String command(String... args) {
        return redis.command(args);
    }
}
