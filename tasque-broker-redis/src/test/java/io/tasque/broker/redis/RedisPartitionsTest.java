package io.tasque.broker.redis;

import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;

/** Partitions on one Redis: no gain in speed there, but the same behaviour as on a cluster. */
@WithRedis
class RedisPartitionsTest extends PartitionsContract {

    private final RedisServer redis;

    RedisPartitionsTest(RedisServer redis) {
        this.redis = redis;
    }

    @Override
    RedisBroker open(BrokerOptions options) {
        return new RedisBroker(BrokerUri.parse(redis.uri()), options);
    }

    @Override
    String command(String key, String... args) {
        return redis.command(args);
    }
}
