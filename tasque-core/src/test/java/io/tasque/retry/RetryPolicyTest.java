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
    void jitterSpreadsEachDelayWithinItsFractionAndOnlyWhenAskedFor() {
        RetryPolicy jittered = RetryPolicy.DEFAULT.withJitter(0.2);
        long least = Long.MAX_VALUE;
        long most = 0;
        for (int i = 0; i < 2000; i++) {
            long ms = jittered.delayAfter(3).toMillis();
            assertTrue(ms >= 3200 && ms <= 4800, "4 s ±20% stays within 3.2..4.8 s: " + ms);
            least = Math.min(least, ms);
            most = Math.max(most, ms);
        }
        assertTrue(least < 3500 && most > 4500, "delays spread over the whole range: " + least + ".." + most);
        assertEquals(10_000L, RetryPolicy.DEFAULT.delayAfter(5).toMillis(), "the policy it came from stays exact");
        assertEquals(4000L, jittered.withJitter(0).delayAfter(3).toMillis(), "jitter 0 turns it off again");
        assertEquals("exponential(PT1S ×2.0 ≤ PT10S) with jitter ±20%", jittered.toString());
        assertEquals("fixed(PT0.1S) with jitter ±5%", RetryPolicy.fixed(Duration.ofMillis(100)).withJitter(0.05).toString());
        assertEquals("fixed(PT1S) with jitter ±7.5%", RetryPolicy.fixed(Duration.ofSeconds(1)).withJitter(0.075).toString());
        assertEquals(RetryPolicy.DEFAULT.toString(), RetryPolicy.DEFAULT.withJitter(0).toString());
    }

    @Test
    void aJitterOutsideZeroToOneIsRejectedNamingTheValue() {
        assertEquals("retry jitter must be a fraction in [0, 1], was 1.5",
                assertThrows(IllegalArgumentException.class, () -> RetryPolicy.DEFAULT.withJitter(1.5)).getMessage());
        assertEquals("retry jitter must be a fraction in [0, 1], was -0.1",
                assertThrows(IllegalArgumentException.class, () -> RetryPolicy.DEFAULT.withJitter(-0.1)).getMessage());
        assertEquals("retry jitter must be a fraction in [0, 1], was NaN",
                assertThrows(IllegalArgumentException.class, () -> RetryPolicy.DEFAULT.withJitter(Double.NaN)).getMessage());
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
