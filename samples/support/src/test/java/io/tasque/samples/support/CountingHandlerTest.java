package io.tasque.samples.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountingHandlerTest {

    @Test
    void countsEachJobOnceAndAwaitsTheExpectedNumber() throws Exception {
        List<String> ran = new ArrayList<>();
        CountingHandler counting = new CountingHandler(task -> ran.add(task.id()), 2);

        counting.handle(task("a", 1));
        counting.handle(task("a", 2));
        assertEquals(1, counting.handled());
        assertFalse(counting.await(Duration.ofMillis(10)));

        counting.handle(task("b", 1));
        assertEquals(2, counting.handled());
        assertTrue(counting.await(Duration.ZERO));
        assertEquals(List.of("a", "a", "b"), ran);
    }

    @Test
    void aRunThatThrowsDoesNotCountAndTheFailureReachesTheWorker() {
        CountingHandler counting = new CountingHandler(task -> {
            throw new IllegalStateException("boom");
        }, 1);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> counting.handle(task("a", 1)));
        assertEquals("boom", e.getMessage());
        assertEquals(0, counting.handled());
    }

    @Test
    void rejectsANegativeExpectation() {
        assertThrows(IllegalArgumentException.class, () -> new CountingHandler(task -> { }, -1));
    }

    private static Task task(String id, int attempt) {
        return Task.received("t", Map.of(), id, attempt);
    }
}
