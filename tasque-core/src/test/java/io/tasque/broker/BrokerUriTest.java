package io.tasque.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BrokerUriTest {

    @Test
    void parsesEveryPartOfARedisUri() {
        BrokerUri u = BrokerUri.parse("redis://alice:s3cr%40t@cache.local:6380/2");
        assertEquals("redis", u.scheme());
        assertEquals("cache.local", u.node().host());
        assertEquals(6380, u.node().port());
        assertEquals("alice", u.user());
        assertEquals("s3cr@t", u.password());
        assertEquals(2, u.database());
        assertFalse(u.tls());
        assertEquals("redis://cache.local:6380/2", u.toString());
    }

    @Test
    void fillsDefaultsAndKnowsTls() {
        BrokerUri u = BrokerUri.parse("rediss://host");
        assertTrue(u.tls());
        assertEquals(6379, u.node().port());
        assertEquals(0, u.database());
        assertNull(u.password());
        BrokerUri v6 = BrokerUri.parse("redis://[::1]:7000");
        assertEquals("::1", v6.node().host());
        assertEquals("redis://[::1]:7000/0", v6.toString());
        BrokerUri pw = BrokerUri.parse("redis://:only@h:1");
        assertNull(pw.user());
        assertEquals("only", pw.password());
    }

    @Test
    void disqueTakesAListOfNodes() {
        BrokerUri u = BrokerUri.parse("disque://h1:7711,h2:7712,h3");
        assertEquals(3, u.nodes().size());
        assertEquals(7711, u.nodes().get(2).port());
    }

    @Test
    void badUrisAreRejectedNamingTheValueButNeverThePassword() {
        assertMessage("http://h:1", "unknown scheme 'http'");
        assertMessage("localhost:6379", "no scheme");
        assertMessage("redis://h:99999", "port '99999'");
        assertMessage("redis://h:abc", "port 'abc'");
        assertMessage("redis://h:1/x", "database 'x'");
        assertMessage("redis://", "no host");
        assertMessage("redis://a:1,b:2", "several hosts");
        assertMessage("", "must not be empty");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerUri.parse("redis://u:hunter2@h:0"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("redis://u:***@h:0"), e.getMessage());
    }

    private static void assertMessage(String uri, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerUri.parse(uri));
        assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
}
