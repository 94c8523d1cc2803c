package io.tasque.broker.redis;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerContract;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.testkit.RedisSentinelDeployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The broker contract on a {@code redis-sentinel://} broker: a real master, replica and three sentinels. */
class RedisSentinelBrokerTest extends BrokerContract {

    private static RedisSentinelDeployment deployment;

    @BeforeAll
    static void startDeployment() {
        deployment = RedisSentinelDeployment.start();
    }

    @AfterAll
    static void stopDeployment() {
        deployment.close();
    }

    @BeforeEach
    void emptyTheMaster() {
        deployment.master().flushAll();
    }

    @Override
    protected Broker open(BrokerOptions options) {
        return new RedisSentinelBrokerProvider().open(BrokerUri.parse(deployment.uri()), options);
    }
}
