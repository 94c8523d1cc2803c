package io.tasque.samples.foo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleArgsTest {

    private static final List<String> ALL = List.of(SampleArgs.BROKER, SampleArgs.CONCURRENCY, SampleArgs.DELAY);

    @Test
    void readsOptionsInBothFormsAndKeepsPositionalArguments() {
        SampleArgs a = SampleArgs.parse(new String[] {"--broker", "redis://h:7000", "x", "--concurrency=8",
            "--delay", "2m", "--", "--not-an-option"}, ALL);

        assertEquals("redis://h:7000", a.broker());
        assertEquals(8, a.concurrency());
        assertEquals(Duration.ofMinutes(2), a.delay());
        assertEquals(List.of("x", "--not-an-option"), a.positional());
    }

    @Test
    void hasDefaults() {
        SampleArgs a = SampleArgs.parse(new String[0], ALL);

        assertEquals(null, a.broker());
        assertEquals(4, a.concurrency());
        assertEquals(Duration.ZERO, a.delay());
    }

    @Test
    void readsDurationsInMillisecondsSecondsAndMinutes() {
        assertEquals(Duration.ofMillis(500), SampleArgs.parseDuration("--delay", "500ms"));
        assertEquals(Duration.ofSeconds(5), SampleArgs.parseDuration("--delay", "5s"));
        assertEquals(Duration.ofMinutes(2), SampleArgs.parseDuration("--delay", "2m"));
        assertEquals("500ms", SampleArgs.format(Duration.ofMillis(500)));
        assertEquals("5s", SampleArgs.format(Duration.ofSeconds(5)));
        assertEquals("2m", SampleArgs.format(Duration.ofMinutes(2)));
    }

    @Test
    void rejectsBadValuesNamingThem() {
        assertMessage("--delay '5 hours' is not a duration; write it like 500ms, 5s or 2m",
                new String[] {"--delay", "5 hours"});
        assertMessage("--concurrency 'many' is not a whole number from 1 to 10000; e.g. --concurrency 4",
                new String[] {"--concurrency", "many"});
        assertMessage("--broker needs a value", new String[] {"--broker"});
        assertMessage("unknown option '--dir'; accepted: --broker, --concurrency, --delay", new String[] {"--dir", "x"});
    }

    @Test
    void rejectsOptionsTheMainDoesNotTake() {
        UsageException e = assertThrows(UsageException.class,
                () -> SampleArgs.parse(new String[] {"--delay", "1s"}, List.of(SampleArgs.BROKER)));
        assertTrue(e.getMessage().startsWith("unknown option '--delay'"), e.getMessage());
    }

    private static void assertMessage(String expected, String[] args) {
        UsageException e = assertThrows(UsageException.class, () -> SampleArgs.parse(args, ALL));
        assertEquals(expected, e.getMessage());
    }
}
