package io.tasque.broker.disque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.Brokers;
import org.junit.jupiter.api.Test;

/** disque:// URIs: found by scheme through the provider, a list of nodes, the default port, no path or query. */
class DisqueUriTest {

    @Test
    void disqueTakesAListOfNodesWithTheDefaultPort() {
        BrokerUri u = BrokerUri.parse("disque://h1:7711,h2:7712,h3");
        assertEquals(3, u.nodes().size());
        assertEquals(DisqueBrokerProvider.DEFAULT_PORT, u.nodes().get(2).port());
        assertEquals("disque://h1:7711,h2:7712,h3:7711", u.toString());
    }

    @Test
    void theSchemeOpensADisqueBroker() {
        try (var broker = Brokers.open("disque://127.0.0.1:1", BrokerOptions.defaults())) {
            assertInstanceOf(DisqueBroker.class, broker);
        }
    }

    @Test
    void aPathOrAQueryIsRefusedNamingIt() {
        IllegalArgumentException path = assertThrows(IllegalArgumentException.class, () -> BrokerUri.parse("disque://h/0"));
        assertTrue(path.getMessage().contains("disque:// has no databases"), path.getMessage());
        IllegalArgumentException query = assertThrows(IllegalArgumentException.class, () -> BrokerUri.parse("disque://h?cacert=/ca.pem"));
        assertTrue(query.getMessage().contains("unknown query parameter 'cacert'; disque:// takes no query parameters"), query.getMessage());
    }
}
