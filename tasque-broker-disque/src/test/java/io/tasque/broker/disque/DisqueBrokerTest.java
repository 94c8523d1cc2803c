package io.tasque.broker.disque;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The broker contract and the Disque specifics on one Disque node: the server {@code TASQUE_DISQUE_URI} names,
 * else a disque-server from {@code TASQUE_DISQUE_SERVER} or the PATH started here; skipped, saying what to set,
 * when there is neither.
 */
@Tag("slow")
class DisqueBrokerTest extends DisqueContract {

    private static DisqueDeployment disque;

    @BeforeAll
    static void startDisque() {
        disque = DisqueDeployment.singleNode();
        Assumptions.assumeTrue(disque != null, DisqueDeployment.NO_DISQUE);
    }

    @AfterAll
    static void stopDisque() {
        if (disque != null) {
            disque.close();
        }
    }

    @Override
    protected DisqueDeployment deployment() {
        return disque;
    }
}
