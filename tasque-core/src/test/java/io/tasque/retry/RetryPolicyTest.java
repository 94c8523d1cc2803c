package io.tasque.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void theDefaultPolicyWaitsOneTwoFourEightThenTenSeconds() {
        List<Long> seconds = new ArrayList<>();
        for (int attempt = 1; attempt <= 7; attempt++) {
            seconds.add(RetryPolicy.DEFAULT.delayAfter(attempt).toMillis());
        }
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 10_000L, 10_000L, 10_000L), seconds);
    }

    @Test
    void badSettingsAreRejectedNamingTheValue() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.exponential(Duration.ZERO, 2, Duration.ofSeconds(1))).getMessage().contains("PT0S"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.exponential(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(10))).getMessage().contains("0.5"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.exponential(Duration.ofSeconds(5), 2, Duration.ofSeconds(1))).getMessage().contains("PT1S"));
    }

    @Test
    void reconnectBackoffDoublesToTenSecondsAndResetsAfterASuccess() {
        ReconnectBackoff b = new ReconnectBackoff();
        assertEquals(Duration.ofSeconds(1), b.failed());
        assertEquals(Duration.ofSeconds(2), b.failed());
        assertEquals(Duration.ofSeconds(4), b.failed());
        assertEquals(Duration.ofSeconds(8), b.failed());
        assertEquals(Duration.ofSeconds(10), b.failed());
        assertEquals(Duration.ofSeconds(10), b.failed());
        assertTrue(b.succeeded());
        assertFalse(b.succeeded());
        assertEquals(Duration.ofSeconds(1), b.failed());
    }
}
