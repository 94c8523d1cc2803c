package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing redis-sentinel:// URIs: sentinels, master name, database, replicas, defaults; passwords never shown. */
class RedisSentinelUriTest {

    @Test
    void parsesTheSentinelsTheMasterNameTheDatabaseAndTheMastersCredentials() {
        BrokerUri u = BrokerUri.parse("redis-sentinel://alice:s3cr%40t@s1.local:26380,s2.local,[::1]:26381/mymaster/2?replicas=1");
        assertEquals("redis-sentinel", u.scheme());
        assertEquals(List.of(new BrokerUri.Node("s1.local", 26380), new BrokerUri.Node("s2.local", 26379),
                new BrokerUri.Node("::1", 26381)), u.nodes());
        assertEquals("mymaster", u.pathName());
        assertEquals(2, u.database());
        assertEquals("alice", u.user());
        assertEquals("s3cr@t", u.password());
        assertEquals(1, RedisBrokerProvider.withReplicas(u, BrokerOptions.defaults()).replicas());
        assertFalse(RedisBrokerProvider.tls(u));
        assertEquals("redis-sentinel://s1.local:26380,s2.local:26379,[::1]:26381/mymaster/2", u.toString());
    }

    @Test
    void aSentinelWithoutAPortIsOn26379AndTheDatabaseIsZeroAndNoReplicasAreAwaited() {
        BrokerUri u = BrokerUri.parse("redis-sentinel://sentinel/cache-master_1.a");
        assertEquals(List.of(new BrokerUri.Node("sentinel", RedisSentinelBrokerProvider.DEFAULT_PORT)), u.nodes());
        assertEquals("cache-master_1.a", u.pathName());
        assertEquals(0, u.database());
        assertNull(u.user());
        assertNull(u.password());
        assertEquals(0, RedisBrokerProvider.withReplicas(u, BrokerOptions.defaults()).replicas());
        assertEquals("redis-sentinel://sentinel:26379/cache-master_1.a/0", u.toString());
        assertEquals("redis-sentinel://s:26379/m/0", BrokerUri.parse("REDIS-SENTINEL://s/m").toString(), "the scheme in any case");
    }

    @Test
    void badUrisAreRejectedNamingTheBadPart() {
        assertMessage("redis-sentinel://s1:26379", "has no name where redis-sentinel:// needs one");
        assertMessage("redis-sentinel://s1:26379/", "has no name");
        assertMessage("redis-sentinel://s1/my%20master", "name 'my%20master'");
        assertMessage("redis-sentinel://s1/mymaster/x", "database 'x'");
        assertMessage("redis-sentinel://s1/mymaster/-1", "database '-1'");
        assertMessage("redis-sentinel://s1:0/mymaster", "port '0'");
        assertMessage("redis-sentinel://s1:26379,,s2/mymaster", "an empty host");
        assertMessage("redis-sentinel:///mymaster", "no host");
        // checked after parsing, so the URI is named as parsed
        assertMessage("redis-sentinel://s1/mymaster?replicas=-1", "'redis-sentinel://s1:26379/mymaster/0': query parameter 'replicas' is '-1'");
        assertMessage("redis-sentinel://s1/mymaster?replicas=all", "'redis-sentinel://s1:26379/mymaster/0': query parameter 'replicas' is 'all'");
        assertMessage("redis-sentinel://s1/mymaster?cacert=/ca.pem", "has query parameter 'cacert', which configures TLS; use rediss-sentinel://");
        assertMessage("redis-sentinel://s1/mymaster?statsFrom=slave", "query parameter 'statsFrom' is 'slave'; use master (the default) or replica");
        assertMessage("rediss-sentinel://s1/mymaster?cacert=/a.pem&truststore=/t.p12", "either");
        assertMessage("rediss-sentinel://s1/mymaster?truststorePassword=x", "without truststore");
        assertMessage("rediss-sentinel://s1/mymaster?foo=1", "unknown query parameter 'foo'; rediss-sentinel:// takes replicas, statsFrom, cacert");
    }

    @Test
    void redissSentinelTakesTheTlsParametersAndStatsFrom() {
        BrokerUri u = BrokerUri.parse("rediss-sentinel://u:pw@s1:26380,s2/mymaster/1?cacert=/etc/redis/ca.pem&statsFrom=replica&replicas=1");
        assertTrue(RedisBrokerProvider.tls(u));
        assertEquals("/etc/redis/ca.pem", u.query(RedisBrokerProvider.CACERT));
        assertTrue(RedisBrokerProvider.statsFromReplica(u, true));
        assertEquals(1, u.database());
        assertEquals("rediss-sentinel://s1:26380,s2:26379/mymaster/1", u.toString());
        BrokerUri plain = BrokerUri.parse("redis-sentinel://s1/mymaster?statsFrom=master");
        assertFalse(RedisBrokerProvider.tls(plain));
        assertFalse(RedisBrokerProvider.statsFromReplica(plain, true));
        BrokerUri store = BrokerUri.parse("rediss-sentinel://s1/m?truststore=/t.p12&truststorePassword=hunter2");
        assertEquals("hunter2", store.query(RedisBrokerProvider.TRUSTSTORE_PASSWORD));
        assertFalse(store.toString().contains("hunter2"));
    }

    @Test
    void thePasswordIsNeverShownInTheUriOrItsErrors() {
        BrokerUri u = BrokerUri.parse("redis-sentinel://u:hunter2@s1/mymaster");
        assertFalse(u.toString().contains("hunter2"), u.toString());
        for (String bad : List.of("redis-sentinel://u:hunter2@s1:99999/mymaster", "redis-sentinel://u:hunter2@s1",
                "redis-sentinel://:hunter2@s1/mymaster?replicas=x", "redis-sentinel://u:hunter2@s1/m/db")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerUri.parse(bad));
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
            assertTrue(e.getMessage().contains("broker URI 'redis-sentinel://"), e.getMessage());
        }
    }

    private static void assertMessage(String uri, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerUri.parse(uri));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("broker URI '" + uri.substring(0, uri.indexOf("://") + 3)), "names the URI: " + e.getMessage());
    }
}
