package io.tasque.samples.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleArgsTest {

    private static final List<SampleArgs.Option<?>> ALL = List.of(SampleArgs.BROKER, SampleArgs.CONCURRENCY,
            SampleArgs.DELAY);

    /** An option as a sample declares one: a number of retries, 3 when not given. */
    private static final SampleArgs.Option<Integer> TRIES = SampleArgs.Option.of("--tries", 3, (option, value) -> {
        if (!value.matches("[1-9]")) {
            throw new UsageException(option + " '" + value + "' is not a digit from 1 to 9");
        }
        return Integer.parseInt(value);
    });

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
        assertMessage("--delay '366d' is not a duration; write it like 500ms, 5s or 2m", new String[] {"--delay=366d"});
        assertMessage("--delay '600000m' is over the limit of 365 days", new String[] {"--delay=600000m"});
        assertMessage("--concurrency 'many' is not a whole number from 1 to 10000; e.g. --concurrency 4",
                new String[] {"--concurrency", "many"});
        assertMessage("--broker needs a value", new String[] {"--broker"});
        assertMessage("--broker is empty; give a value such as redis://localhost:6379", new String[] {"--broker= "});
        assertMessage("unknown option '--dir'; accepted: --broker, --concurrency, --delay", new String[] {"--dir", "x"});
    }

    @Test
    void rejectsOptionsTheMainDoesNotTake() {
        UsageException e = assertThrows(UsageException.class,
                () -> SampleArgs.parse(new String[] {"--delay", "1s"}, List.of(SampleArgs.BROKER)));
        assertTrue(e.getMessage().startsWith("unknown option '--delay'"), e.getMessage());

        e = assertThrows(UsageException.class, () -> SampleArgs.parse(new String[] {"--delay", "1s"}, List.of()));
        assertEquals("unknown option '--delay'; this command takes none", e.getMessage());
    }

    @Test
    void readsAnOptionTheSampleDeclaresBesideTheSharedOnes() {
        List<SampleArgs.Option<?>> accepted = List.of(SampleArgs.BROKER, TRIES);

        assertEquals(3, SampleArgs.parse(new String[0], accepted).get(TRIES));
        SampleArgs a = SampleArgs.parse(new String[] {"--tries=5", "--broker", "redis://h:7000", "-h"}, accepted);
        assertEquals(5, a.get(TRIES));
        assertEquals("redis://h:7000", a.broker());
        assertTrue(a.help());

        UsageException bad = assertThrows(UsageException.class,
                () -> SampleArgs.parse(new String[] {"--tries", "10"}, accepted));
        assertEquals("--tries '10' is not a digit from 1 to 9", bad.getMessage());
        UsageException unknown = assertThrows(UsageException.class,
                () -> SampleArgs.parse(new String[] {"--concurrency", "2"}, accepted));
        assertEquals("unknown option '--concurrency'; accepted: --broker, --tries", unknown.getMessage());
    }

    @Test
    void aDeclaredOptionWithoutAFallbackIsNullWhenNotGiven() {
        SampleArgs.Option<String> name = SampleArgs.Option.of("--name", null, (option, value) -> value);

        assertNull(SampleArgs.parse(new String[0], List.of(name)).get(name));
        assertEquals("", SampleArgs.parse(new String[] {"--name="}, List.of(name)).get(name));
    }

    @Test
    void optionNamesStartWithTwoDashesAndCannotBeHelp() {
        for (String bad : new String[] {"dir", "-d", "--", "--a=b", SampleArgs.HELP}) {
            assertThrows(IllegalArgumentException.class, () -> SampleArgs.Option.of(bad, null, (o, v) -> v), bad);
        }
    }

    private static void assertMessage(String expected, String[] args) {
        UsageException e = assertThrows(UsageException.class, () -> SampleArgs.parse(args, ALL));
        assertEquals(expected, e.getMessage());
    }
}
