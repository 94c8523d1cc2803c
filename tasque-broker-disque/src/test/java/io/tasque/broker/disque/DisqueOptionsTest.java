package io.tasque.broker.disque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DisqueOptionsTest {

    @Test
    void durationsRoundUpToDisquesWholeSeconds() {
        DisqueOptions o = DisqueOptions.builder().lease(Duration.ofMillis(1500)).ttlGrace(Duration.ofMillis(1)).build();
        assertEquals(2, o.leaseSeconds());
        assertEquals(1, o.ttlGraceSeconds());
        assertEquals(o.leaseSeconds(), o.toBuilder().build().leaseSeconds());
    }

    @Test
    void badValuesAreRefusedNamingTheSetting() {
        assertMessage("lease must be >= 1 s, was PT0S", () -> DisqueOptions.builder().lease(Duration.ZERO));
        assertMessage("replicate must be 0 (server default) or 1..65535, was -1", () -> DisqueOptions.builder().replicate(-1));
        assertMessage("maxLen must be >= 0 (0 = no limit), was -5", () -> DisqueOptions.builder().maxLen(-5));
        assertMessage("nodeRefresh must be > 0, was PT0S", () -> DisqueOptions.builder().nodeRefresh(Duration.ZERO));
        assertMessage("deadLetterTtl must be >= 1 s, was null", () -> DisqueOptions.builder().deadLetterTtl(null));
    }

    private static void assertMessage(String expected, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
