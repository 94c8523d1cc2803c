package io.tasque.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * What every URI gets from core, with only the built-in {@code memory://} broker on the class path: the scheme
 * decides the broker, and a scheme whose module is missing says which module to add.
 */
class BrokerUriTest {

    @Test
    void aSchemeWhoseBrokerIsNotOnTheClassPathNamesTheModuleToAdd() {
        assertMessage("disque://h:7711", "no broker for scheme 'disque'; add io.tasque:tasque-broker-disque");
        assertMessage("redis://h:6379", "no broker for scheme 'redis'; add io.tasque:tasque-broker-redis");
        assertMessage("rediss://h:6379", "no broker for scheme 'rediss'; add io.tasque:tasque-broker-redis");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Brokers.open("disque://:hunter2@h", BrokerOptions.defaults()));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void anUnknownSchemeListsTheSchemesOnTheClassPath() {
        assertMessage("ftp://h", "unknown scheme 'ftp'; use memory://");
        assertMessage("localhost:6379", "has no scheme; use memory://");
        assertMessage("", "must not be empty");
    }

    @Test
    void theSchemeIsCaseInsensitive() {
        assertEquals("memory://x", BrokerUri.parse("MEMORY://x").toString());
    }

    @Test
    void redactHidesCredentialsAndPasswordParametersOfAnyUri() {
        assertEquals("redis://u:***@h:1/0", BrokerUri.redact("redis://u:hunter2@h:1/0"));
        assertEquals("disque://***@h", BrokerUri.redact("disque://hunter2@h"));
        assertEquals("x://h?truststorePassword=***&a=b", BrokerUri.redact("x://h?truststorePassword=hunter2&a=b"));
    }

    private static void assertMessage(String uri, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerUri.parse(uri));
        assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
}
