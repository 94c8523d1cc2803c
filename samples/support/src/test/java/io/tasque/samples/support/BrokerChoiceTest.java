package io.tasque.samples.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerChoiceTest {

    @Test
    void theOptionWinsOverTheEnvironment() {
        try (BrokerChoice b = BrokerChoice.choose("redis://option:7001", Map.of(BrokerChoice.ENV, "redis://env:7002"))) {
            assertEquals("redis://option:7001", b.uri());
            assertFalse(b.embedded());
        }
    }

    @Test
    void theEnvironmentIsUsedWithoutTheOption() {
        try (BrokerChoice b = BrokerChoice.choose(null, Map.of(BrokerChoice.ENV, "redis://env:7002"))) {
            assertEquals("redis://env:7002", b.uri());
        }
    }

    @Test
    void withNeitherAnEmbeddedRedisIsStartedAndStoppedOnClose() {
        try (BrokerChoice b = BrokerChoice.choose(null, Map.of())) {
            assertTrue(b.embedded());
            assertTrue(b.uri().startsWith("redis://127.0.0.1:"), b.uri());
            assertFalse(b.uri().endsWith(":6379"), b.uri());
        }
    }

    @Test
    void aPasswordIsNotPrinted() {
        try (BrokerChoice b = BrokerChoice.choose("redis://user:secret@h:7003", Map.of())) {
            assertEquals("redis://user:***@h:7003", b.describe());
        }
    }

    @Test
    void aMalformedUriIsAUsageErrorNamingItsSource() {
        UsageException e = assertThrows(UsageException.class, () -> BrokerChoice.choose("http://h:7000", Map.of()));
        assertTrue(e.getMessage().startsWith("--broker 'http://h:7000' is not a broker URI"), e.getMessage());
    }
}
