package io.tasque.broker.disque;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker contract and the Disque specifics on a cluster of three disque-servers joined with CLUSTER MEET, one
 * of which is killed (SIGKILL) part way through the run: the tests after it run on the two survivors, through a
 * URI that still lists all three. With the default replication (two copies) the two survivors still take new jobs.
 */
@Tag("slow")
class DisqueClusterBrokerTest extends DisqueContract {

    private static final Logger log = LoggerFactory.getLogger(DisqueClusterBrokerTest.class);

    /** The node is killed before this test opens its broker (1-based), about half way through the suite. */
    private static final int KILL_BEFORE_TEST = 15;

    private static DisqueDeployment.Cluster cluster;
    private static final AtomicInteger opened = new AtomicInteger();

    @BeforeAll
    static void startCluster() {
        cluster = DisqueDeployment.cluster(3, "--cluster-node-timeout", "2000");
        Assumptions.assumeTrue(cluster != null, DisqueDeployment.NO_DISQUE_BINARY);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected DisqueDeployment deployment() {
        return cluster;
    }

    @Override
    protected Broker open(BrokerOptions options) {
        if (opened.incrementAndGet() == KILL_BEFORE_TEST) {
            DisqueServer victim = cluster.servers().get(2);
            log.warn("killing Disque node {} (SIGKILL) before test {}", victim.address(), KILL_BEFORE_TEST);
            victim.kill();
            // the survivors flag it as failing after the node timeout and stop choosing it for replicas
            cluster.awaitView(3, 2, Duration.ofSeconds(20));
        }
        return super.open(options);
    }
}
