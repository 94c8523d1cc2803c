package io.tasque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskHeadersTest {

    @Test
    void headerReturnsANewTaskCarriedThroughSetAndVisibleInOrder() {
        Task base = Task.of("foo");
        Task t = base.header("trace", "t-1").set("a", 1).header("tenant", "acme").header("trace", "t-2");
        assertTrue(base.headers().isEmpty());
        assertEquals(List.of("trace", "tenant"), List.copyOf(t.headers().keySet()));
        assertEquals("t-2", t.header("trace"));
        assertNull(t.header("missing"));
        assertEquals(1, t.param("a", Integer.class));
        assertThrows(UnsupportedOperationException.class, () -> t.headers().put("x", "y"));
        assertNotEquals(Task.of("foo"), Task.of("foo").header("k", "v"), "headers take part in equality");
        assertEquals(Task.of("foo").header("k", "v"), Task.of("foo").header("k", "v"));
    }

    @Test
    void aReceivedTaskCarriesItsHeadersCheckedAndCopied() {
        Map<String, String> in = new LinkedHashMap<>(Map.of("k", "v"));
        Task t = Task.received("foo", Map.of(), in, "id-1", 2);
        in.put("late", "x");
        assertEquals(Map.of("k", "v"), t.headers());
        assertEquals(Map.of(), Task.received("foo", Map.of(), "id-1", 1).headers());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Task.received("foo", Map.of(), Map.of("k", "v".repeat(5000)), "id-1", 1));
        assertTrue(e.getMessage().contains("header 'k'") && e.getMessage().contains("limit of 4096"), e.getMessage());
    }

    @Test
    void badHeadersAreRefusedNamingTheKeyOrValueAndTheLimit() {
        Task t = Task.of("foo");
        assertMessage(() -> t.header("", "v"), "header key must not be empty");
        assertMessage(() -> t.header(null, "v"), "header key must not be empty");
        assertMessage(() -> t.header("k".repeat(129), "v"), "is 129 characters, over the limit of 128");
        t.header("k".repeat(128), "v");
        assertMessage(() -> t.header("a\nb", "v"), "header key 'a\\u000ab' of task 'foo' contains control character U+000A");
        assertMessage(() -> t.header("k", null), "header 'k' of task 'foo' has a null value");
        assertMessage(() -> t.header("k", "x".repeat(4097)), "header 'k' of task 'foo' has a value of 4097 characters ('xxxx");
        t.header("k", "x".repeat(4096));
        assertMessage(() -> t.header("k", "a\uD800b"), "value of header 'k' of task 'foo' contains an unpaired surrogate U+D800");
        t.header("k", "emoji \uD83D\uDE00 and tab\t");
        Task full = t;
        for (int i = 0; i < TaskHeaders.MAX_HEADERS; i++) {
            full = full.header("h" + i, "v");
        }
        Task f = full;
        assertMessage(() -> f.header("one-more", "v"), "already has 64 headers, the limit; cannot add 'one-more'");
        assertEquals("w", f.header("h3", "w").header("h3"), "replacing a header at the limit is fine");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
}
