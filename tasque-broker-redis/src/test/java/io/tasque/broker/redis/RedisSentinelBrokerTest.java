package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerContract;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.Brokers;
import io.tasque.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import io.tasque.testkit.RedisSentinelDeployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker contract on a {@code redis-sentinel://} broker (a real master, replica and three sentinels), and what the
 * scheme adds: whose the credentials are, and listener threads that never keep a JVM alive.
 */
class RedisSentinelBrokerTest extends BrokerContract {

    private static final BrokerOptions QUICK = BrokerOptions.builder().commandTimeout(Duration.ofSeconds(1)).build();

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

    @Test
    void theUrisCredentialsGoToTheMasterAndTheSentinelsAreAskedWithoutAny() {
        for (RedisServer s : deployment.dataServers()) {
            s.command("ACL", "SETUSER", "tasque-user", "on", ">Xq7-secret", "~*", "&*", "+@all");
        }
        // the sentinels have no such user: had the credentials gone to them too, no master would be found
        try (Broker b = Brokers.open(deployment.uri().replace("//", "//tasque-user:Xq7-secret@"), QUICK)) {
            b.enqueue(List.of(job("q", "a")));
            assertEquals(1, b.stats("q").ready());
        }
        assertTrue(deployment.master().command("CLIENT", "LIST").contains("user=default"), "the check itself runs as default");
        try (Broker b = Brokers.open(deployment.uri().replace("//", "//tasque-user:wrong@"), QUICK)) {
            BrokerException e = assertThrows(BrokerException.class, () -> b.stats("q"));
            assertEquals(BrokerException.Kind.REFUSED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().startsWith(BrokerUri.parse(deployment.uri()) + ": stats failed: WRONGPASS"), e.getMessage());
            assertFalse(e.getMessage().contains("wrong"), e.getMessage());
        }
    }

    @Test
    void theSentinelListenersNeverKeepTheJvmAliveAndEndWithTheBroker() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Broker b = open(QUICK);
        b.ping();
        List<Thread> listeners = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .filter(t -> t.getName().startsWith("MasterListener-" + RedisSentinelDeployment.MASTER_NAME)).toList();
        assertEquals(3, listeners.size(), "one per sentinel: " + listeners);
        for (Thread t : listeners) {
            assertTrue(t.isDaemon(), t.getName());
        }
        b.close();
        // closed right after they started: Jedis alone would leave some listening forever
        for (Thread t : listeners) {
            assertFalse(t.isAlive(), t.getName() + " ended with the broker's close()");
        }
    }
}
