package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.BrokerUri;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing redis:// and rediss:// URIs: every part, the defaults, TLS parameters, and passwords never shown. */
class RedisUriTest {

    @Test
    void parsesEveryPartOfARedisUri() {
        BrokerUri u = BrokerUri.parse("redis://alice:s3cr%40t@cache.local:6380/2");
        assertEquals("redis", u.scheme());
        assertEquals("cache.local", u.node().host());
        assertEquals(6380, u.node().port());
        assertEquals("alice", u.user());
        assertEquals("s3cr@t", u.password());
        assertEquals(2, u.database());
        assertFalse(RedisBrokerProvider.tls(u));
        assertEquals("redis://cache.local:6380/2", u.toString());
    }

    @Test
    void fillsDefaultsAndKnowsTls() {
        BrokerUri u = BrokerUri.parse("rediss://host");
        assertTrue(RedisBrokerProvider.tls(u));
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
    void badUrisAreRejectedNamingTheValueButNeverThePassword() {
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

    @Test
    void aPasswordWithAnUnencodedSlashIsRefusedShowingNoPartOfItAndSayingHowToEncodeIt() {
        for (String uri : List.of("redis://:Xq7/Zk9@host", "redis://u:Xq7/Zk9@host:6380/2", "redis://:Xq7/12@host",
                "redis://:Xq7/Zk9+Wv==@host:6379")) {
            assertRefusedWithoutLeaking(uri, "%2F", "Xq7", "Zk9", "12@", "Wv==");
        }
    }

    @Test
    void aPasswordWithAnUnencodedHashIsRefusedShowingNoPartOfItAndSayingHowToEncodeIt() {
        for (String uri : List.of("redis://:Xq7#Zk9@host", "redis://u:Xq7#Zk9@host:6380/2", "rediss://:Xq7#Zk9@host?cacert=/ca.pem")) {
            assertRefusedWithoutLeaking(uri, "%23", "Xq7", "Zk9");
        }
    }

    @Test
    void aPasswordWithAnUnencodedQuestionMarkIsRefusedShowingNoPartOfIt() {
        assertRefusedWithoutLeaking("redis://u:Xq7?Zk9@host:6380", "%3F", "Xq7", "Zk9");
    }

    @Test
    void aPasswordWithAnUnencodedAtSignIsTakenWholeAndNeverShown() {
        BrokerUri u = BrokerUri.parse("redis://u:pa@ss@host:6380/1");
        assertEquals("pa@ss", u.password());
        assertEquals("host", u.node().host());
        assertEquals("redis://host:6380/1", u.toString());
        assertRefusedWithoutLeaking("redis://u:Xq7@Zk9@host:0", "port '0'", "Xq7", "Zk9");
    }

    @Test
    void percentEncodedSlashHashAndAtSignArePartOfThePassword() {
        assertEquals("p/a#s@s?", BrokerUri.parse("redis://:p%2Fa%23s%40s%3F@host").password());
        assertEquals("abc/def+gh==", BrokerUri.parse("redis://:abc%2Fdef+gh==@host").password());
    }

    @Test
    void aBrokenPercentEncodingInThePasswordIsRefusedWithoutShowingIt() {
        assertRefusedWithoutLeaking("redis://u:Xq7%zzZk9@host", "percent", "Xq7", "zz", "Zk9");
    }

    @Test
    void rediSsTakesACaCertificateOrATrustStoreAsQueryParameters() {
        BrokerUri ca = BrokerUri.parse("rediss://:pw@host:6380/1?cacert=/etc/redis/ca.pem");
        assertEquals("/etc/redis/ca.pem", ca.query(RedisBrokerProvider.CACERT));
        assertNull(ca.query(RedisBrokerProvider.TRUSTSTORE));
        assertEquals("rediss://host:6380/1", ca.toString());
        BrokerUri ts = BrokerUri.parse("rediss://host?truststore=/etc/redis/trust.p12&truststorePassword=s%26cret");
        assertEquals("/etc/redis/trust.p12", ts.query(RedisBrokerProvider.TRUSTSTORE));
        assertEquals("s&cret", ts.query(RedisBrokerProvider.TRUSTSTORE_PASSWORD));
        assertNull(ts.query(RedisBrokerProvider.CACERT));
    }

    @Test
    void badQueryParametersAreRefusedNamingThemButNeverTheTrustStorePassword() {
        assertMessage("rediss://host?foo=1", "unknown query parameter 'foo'");
        assertMessage("redis://host?cacert=/ca.pem", "rediss://");
        assertMessage("rediss://host?cacert=", "'cacert' has no value");
        assertMessage("rediss://host?cacert=/a.pem&cacert=/b.pem", "'cacert' twice");
        assertMessage("rediss://host?cacert=/a.pem&truststore=/t.p12", "either");
        assertMessage("rediss://host?truststorePassword=x", "without truststore");
        for (String uri : List.of("rediss://host?truststore=/t.p12&truststorePassword=hunter2&foo=1",
                "rediss://host?truststore=/t.p12&truststorepassword=hunter2",
                "redis://host?truststore=/t.p12&truststorePassword=hunter2")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerUri.parse(uri));
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
    }

    @Test
    void redissClusterTakesTheTlsParametersAndEveryClusterSchemeStatsFrom() {
        BrokerUri u = BrokerUri.parse("rediss-cluster://u:pw@10.0.0.1:7000,10.0.0.2:7001?cacert=/etc/redis/ca.pem&statsFrom=replica");
        assertTrue(RedisBrokerProvider.tls(u));
        assertTrue(RedisBrokerProvider.cluster(u));
        assertEquals("/etc/redis/ca.pem", u.query(RedisBrokerProvider.CACERT));
        assertTrue(RedisBrokerProvider.statsFromReplica(u, true));
        assertEquals("rediss-cluster://10.0.0.1:7000,10.0.0.2:7001", u.toString());
        BrokerUri plain = BrokerUri.parse("redis-cluster://10.0.0.1:7000?statsFrom=replica");
        assertFalse(RedisBrokerProvider.tls(plain));
        assertTrue(RedisBrokerProvider.cluster(plain));
        BrokerUri master = BrokerUri.parse("redis://host?statsFrom=master");
        assertFalse(RedisBrokerProvider.statsFromReplica(master, false), "master, the default, is fine anywhere");
    }

    @Test
    void badClusterAndStatsFromParametersAreRefusedNamingThem() {
        assertMessage("redis-cluster://h1:7000?cacert=/ca.pem", "has query parameter 'cacert', which configures TLS; use rediss-cluster://");
        assertMessage("rediss-cluster://h1:7000?cacert=/a.pem&truststore=/t.p12", "either");
        assertMessage("rediss-cluster://h1:7000?truststorePassword=x", "without truststore");
        assertMessage("rediss-cluster://h1:7000/1", "has no databases");
        assertMessage("rediss-cluster://h1:7000?statsFrom=nearest", "query parameter 'statsFrom' is 'nearest'; use master (the default) or replica");
        assertMessage("redis://host?statsFrom=replica", "query parameter 'statsFrom' is 'replica', but redis:// names one server");
        assertMessage("rediss://host?statsFrom=replica", "query parameter 'statsFrom' is 'replica', but rediss:// names one server");
        assertMessage("redis://host?statsFrom=", "'statsFrom' has no value");
    }

    private static void assertRefusedWithoutLeaking(String uri, String hint, String... secretParts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerUri.parse(uri), uri);
        for (String part : secretParts) {
            assertFalse(e.getMessage().contains(part), "'" + part + "' of the password leaked for " + uri + ": " + e.getMessage());
        }
        assertTrue(e.getMessage().contains(hint), "expected '" + hint + "' for " + uri + " in: " + e.getMessage());
    }

    private static void assertMessage(String uri, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerUri.parse(uri));
        assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
}
