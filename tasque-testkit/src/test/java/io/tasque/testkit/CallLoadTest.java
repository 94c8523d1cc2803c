package io.tasque.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CallLoadTest {

    @Test
    void makesExactlyTheLimitOfCallsAcrossItsThreadsAndRecordsWhatEachReturned() throws InterruptedException {
        CallLoad load = CallLoad.of(String::valueOf).threads(4).limit(1000).start().awaitEnd();

        assertEquals(1000, load.succeeded());
        assertEquals(IntStream.range(0, 1000).mapToObj(String::valueOf).sorted().toList(),
                load.results().stream().sorted().toList());
        assertEquals(List.of(), load.failures());
        assertTrue(load.endNanos() >= load.startNanos(), "ends after it starts");
    }

    @Test
    void aCallThatThrowsIsRecordedAndTheLoadGoesOn() throws InterruptedException {
        CallLoad load = CallLoad.of(n -> {
            if (n % 2 == 1) {
                throw new IllegalStateException("odd " + n);
            }
            return "even " + n;
        }).limit(10).start().awaitEnd();

        assertEquals(List.of("even 0", "even 2", "even 4", "even 6", "even 8"), load.results());
        assertEquals(List.of("odd 1", "odd 3", "odd 5", "odd 7", "odd 9"),
                load.failures().stream().map(f -> f.error().getMessage()).toList());
        assertTrue(load.failures().stream().allMatch(f -> !f.took().isNegative()));
    }

    @Test
    void theLongestCallIsMeasuredWhetherItReturnedOrThrew() throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        CallLoad load = CallLoad.of(n -> {
            try {
                never.await(50, TimeUnit.MILLISECONDS);   // the call's own duration, not a wait for anything
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("slow failure");
        }).limit(1).start().awaitEnd();

        assertTrue(load.longestCall().compareTo(Duration.ofMillis(50)) >= 0, load.longestCall().toString());
        assertTrue(load.failures().get(0).took().compareTo(Duration.ofMillis(50)) >= 0);
    }

    @Test
    void closeStopsALoadWithoutLimitOrDeadline() {
        CallLoad load = CallLoad.of(n -> "x").threads(2).pause(Duration.ofMillis(1)).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() >= 20);

        load.close();

        assertTimeoutPreemptively(Duration.ofSeconds(10), load::awaitEnd, "threads still running after close()");
        assertEquals(load.succeeded(), load.results().size());
    }

    @Test
    void aPassedDeadlineStartsNoCall() throws InterruptedException {
        CallLoad load = CallLoad.of(n -> "x").threads(3).deadlineNanos(System.nanoTime() - 1).start().awaitEnd();

        assertEquals(0, load.succeeded());
        assertEquals(List.of(), load.failures());
    }

    @Test
    void badSettingsAreRefusedNamingTheValue() {
        CallLoad.Builder b = CallLoad.of(n -> "x");

        assertEquals("threads must be >= 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> b.threads(0)).getMessage());
        assertEquals("limit must be >= 0, was -1",
                assertThrows(IllegalArgumentException.class, () -> b.limit(-1)).getMessage());
        assertEquals("pause must not be negative, was PT-1S",
                assertThrows(IllegalArgumentException.class, () -> b.pause(Duration.ofSeconds(-1))).getMessage());
    }
}
