package io.tasque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskTest {

    @Test
    void setReturnsANewTaskAndLeavesTheOriginalUnchanged() {
        Task base = Task.of("foo");
        Task withText = base.set("text", "hello");
        assertTrue(base.params().isEmpty());
        assertEquals("hello", withText.param("text", String.class));
    }

    @Test
    void nestedMapsAndListsAreCopiedSoLaterChangesDoNotLeakIn() {
        List<Object> list = new ArrayList<>(List.of(1, 2));
        Map<String, Object> map = new HashMap<>(Map.of("a", "b"));
        Task t = Task.of("foo").set("list", list).set("map", map);
        list.add(3);
        map.put("c", "d");
        assertEquals(List.of(1, 2), t.param("list", List.class));
        assertEquals(Map.of("a", "b"), t.param("map", Map.class));
        assertThrows(UnsupportedOperationException.class, () -> t.params().put("x", 1));
    }

    @Test
    void numbersWidenButNeverNarrow() {
        Task t = Task.of("n").set("i", 42).set("d", 1.5);
        assertEquals(42L, t.param("i", Long.class));
        assertEquals(42.0, t.param("i", Double.class));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.param("d", Integer.class));
        assertTrue(e.getMessage().contains("'d'") && e.getMessage().contains("Double (1.5)") && e.getMessage().contains("Integer"), e.getMessage());
    }

    @Test
    void aWrongTypeNamesTheKeyAndTheActualType() {
        Task t = Task.of("download").set("url", 42);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.param("url", String.class));
        assertEquals("param 'url' of task 'download' is a Integer (42), not a String", e.getMessage());
    }

    @Test
    void anAbsentParamIsNullAndRequireNamesIt() {
        Task t = Task.of("foo");
        assertNull(t.param("missing", String.class));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.require("missing", String.class));
        assertTrue(e.getMessage().contains("'missing'"), e.getMessage());
    }

    @Test
    void badNamesAreRejectedNamingTheValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Task.of("")).getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Task.of(null)).getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Task.of("a\u0001b")).getMessage().contains("U+0001"));
        String longName = "x".repeat(Task.MAX_NAME_LENGTH + 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Task.of(longName)).getMessage().contains("129 characters"));
        assertEquals("ok.name:v1-x_y", Task.of("ok.name:v1-x_y").name());
    }

    @Test
    void spacesAndBracesAreLeftToTheBrokerWhichByDefaultRefusesThem() {
        assertEquals("send email {x}", Task.of("send email {x}").name());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Task.checkName("a b")).getMessage().contains("'a b' contains whitespace"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Task.checkName("a{b}")).getMessage().contains("'a{b}' contains '{'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Task.checkName("a\u0001b")).getMessage().contains("U+0001"));
        assertEquals("a b{c}", Task.checkBaseName("a b{c}"));
    }

    @Test
    void valuesJsonCannotCarryAreRejectedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Task.of("foo").set("when", new Object()));
        assertTrue(e.getMessage().contains("'when'") && e.getMessage().contains("java.lang.Object"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Task.of("foo").set("x", Double.NaN));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Task.of("foo").set("m", Map.of(1, "a")));
        assertTrue(e.getMessage().contains("'m'") && e.getMessage().contains("map key"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Task.of("foo").set("deep", Map.of("a", List.of(new Object()))));
        assertTrue(e.getMessage().contains("'deep.a[0]'"), e.getMessage());
    }

    @Test
    void receivedTasksCarryIdAndAttempt() {
        Task t = Task.received("foo", Map.of("a", 1), "id-1", 3);
        assertEquals("id-1", t.id());
        assertEquals(3, t.attempt());
        assertNull(Task.of("foo").id());
        assertEquals(0, Task.of("foo").attempt());
    }

    @Test
    void jobIdsAreUnique() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(ids.add(JobIds.next()));
        }
    }

    @Test
    void aChosenIdIsKeptThroughSetAndUniqueFor() {
        Task t = Task.of("orders").id("order-42").set("n", 1).uniqueFor(java.time.Duration.ofMinutes(5));
        org.junit.jupiter.api.Assertions.assertEquals("order-42", t.id());
        org.junit.jupiter.api.Assertions.assertTrue(t.hasChosenId());
        org.junit.jupiter.api.Assertions.assertEquals(java.time.Duration.ofMinutes(5), t.uniqueFor());
        org.junit.jupiter.api.Assertions.assertEquals(Task.DEFAULT_UNIQUE_FOR, Task.of("orders").id("x").uniqueFor());
    }

    @Test
    void badIdsAreRefusedNamingTheValue() {
        for (String bad : new String[] {"a b", "a{b}", "tab\there", "x".repeat(129)}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Task.of("orders").id(bad));
            String shown = bad.length() > 100 ? bad.substring(0, 32) : bad.replace("\t", "\\u0009");
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("job id '" + shown), e.getMessage());
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Task.of("orders").id(""));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Task.of("orders").uniqueFor(java.time.Duration.ofSeconds(-1)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Task.received("orders", java.util.Map.of(), "j1", 1).id("other"));
    }
}
