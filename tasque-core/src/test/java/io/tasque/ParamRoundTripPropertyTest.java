package io.tasque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tasque.codec.Envelope;
import io.tasque.codec.EnvelopeCodec;
import io.tasque.codec.TaskCodec;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of Task params over arbitrary values: every one either reaches a worker exactly as it was set
 * (through {@link Task#set}, a codec's encode and decode, and {@link Task#received}), or {@code set} refuses it
 * with an {@link IllegalArgumentException} naming the key. Never a StackOverflowError, never a silent change.
 *
 * <p>"Exactly" is judged here independently of the code under test: whole numbers by value, a float by its
 * shortest decimal, a BigDecimal by {@code compareTo}, a byte[] by its bytes, strings and keys char for char.
 */
public class ParamRoundTripPropertyTest {

    /** The codecs every value goes through; a broker module with its own codec runs this suite with it. */
    protected List<TaskCodec> codecs() {
        return List.of(new EnvelopeCodec(EnvelopeCodec.MAX_PAYLOAD_BYTES));
    }
    private static final int MAX_DEPTH = 100;
    private static final int MAX_NUMBER_CHARS = 1000;

    @Property(tries = 500)
    void aParamEitherRoundTripsExactlyOrIsRefusedNamingTheKey(@ForAll("keys") String key, @ForAll("values") Object value) {
        String problem = key.isEmpty() ? "empty key" : problem(key, true);
        if (problem == null) {
            problem = problem(value, 0);
        }
        Task client;
        try {
            client = Task.of("prop").set(key, value);
        } catch (IllegalArgumentException refused) {
            if (problem == null) {
                fail("refused a value JSON can carry: " + refused.getMessage());
            }
            String named = key.isEmpty() ? "must not be empty" : "param '" + shown(key);
            assertTrue(refused.getMessage().contains(named), () -> "the error does not name the key: " + refused.getMessage());
            return;
        }
        assertNull(problem, "accepted a key or value JSON cannot carry exactly");
        assertSame(value, client.params().get(key), "the client's copy");
        assertReadsBackAsSet(value, client, key);
        for (TaskCodec codec : codecs()) {
            Task worker = roundTrip(codec, client);
            assertEquals(client.params(), worker.params(), () -> "client and worker differ via " + codec.getClass().getSimpleName());
            assertSame(value, worker.params().get(key), "the worker's copy via " + codec.getClass().getSimpleName());
            assertReadsBackAsSet(value, worker, key);
        }
    }

    @Property(tries = 200)
    void aStringOrKeyEitherRoundTripsOrIsRefusedForAnUnpairedSurrogate(@ForAll("strings") String s) {
        String problem = problem(s, true);
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put(s, s);
        try {
            Task client = Task.of("prop").set("text", s).set("map", inner);
            assertNull(problem, "accepted a string UTF-8 cannot carry");
            for (TaskCodec codec : codecs()) {
                Task worker = roundTrip(codec, client);
                assertEquals(s, worker.param("text", String.class));
                assertEquals(Map.of(s, s), worker.param("map", Map.class));
            }
        } catch (IllegalArgumentException refused) {
            assertTrue(problem != null, () -> "refused a string UTF-8 can carry: " + refused.getMessage());
            assertTrue(refused.getMessage().contains("'text'") || refused.getMessage().contains("'map."), refused::getMessage);
            assertTrue(refused.getMessage().contains("unpaired surrogate"), refused::getMessage);
        }
    }

    @Property(tries = 100)
    void nestingEitherRoundTripsOrIsRefusedPastTheLimit(@ForAll @IntRange(min = 1, max = 1100) int depth, @ForAll boolean maps) {
        Object v = 1;
        for (int i = 0; i < depth; i++) {
            v = maps ? Map.of("", v) : List.of(v);
        }
        Object value = v;
        try {
            Task client = Task.of("prop").set("deep", value);
            assertTrue(depth <= MAX_DEPTH, "accepted " + depth + " levels");
            for (TaskCodec codec : codecs()) {
                assertEquals(client.params(), roundTrip(codec, client).params());
            }
        } catch (IllegalArgumentException refused) {
            assertTrue(depth > MAX_DEPTH, () -> "refused " + depth + " levels: " + refused.getMessage());
            assertTrue(refused.getMessage().startsWith("param 'deep"), refused::getMessage);
        }
    }

    @Property(tries = 200)
    void aGraphThatRefersToItselfIsRefusedNamingTheKey(@ForAll("values") Object tree, @ForAll int pick, @ForAll boolean toRoot) {
        List<Object> containers = new ArrayList<>();
        Object copy = mutableCopy(tree);
        Object root = copy instanceof Map || copy instanceof List ? copy : new ArrayList<>(java.util.Arrays.asList(copy));
        collectContainers(root, containers);
        Object where = containers.get(Math.floorMod(pick, containers.size()));
        Object target = toRoot ? root : where;
        if (where instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            map.put("back", target);
        } else {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) where;
            list.add(target);
        }
        try {
            Task.of("prop").set("graph", root);
            fail("accepted a graph that refers to itself");
        } catch (IllegalArgumentException refused) {
            assertTrue(refused.getMessage().startsWith("param 'graph"), refused::getMessage);
            if (problem(tree, 0) == null) {
                assertTrue(refused.getMessage().contains("contains itself"), refused::getMessage);
            }
        }
    }

    // ---- generators

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.oneOf(
                Arbitraries.of("", ".", "a.b", "..", "[0]", "é", "✓", "😀", "\u0000", "\n", "\u007f", "\uD800", "\uDC00x", "k"),
                strings());
    }

    @Provide
    Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.strings().withChars("ab.\u0000\u0001\u001f\"\\\u2028\uD83D\uDE00\uD800\uDFFF\uFFFF").ofMaxLength(8));
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.recursive(this::leaves, inner -> Arbitraries.oneOf(inner, maps(inner), lists(inner), arrays(inner)), 0, 4);
    }

    private Arbitrary<Object> maps(Arbitrary<Object> inner) {
        return Arbitraries.maps(keys(), inner.injectNull(0.1)).ofMaxSize(3).map(m -> (Object) m);
    }

    private Arbitrary<Object> lists(Arbitrary<Object> inner) {
        return inner.injectNull(0.1).list().ofMaxSize(3).map(l -> (Object) l);
    }

    private Arbitrary<Object> arrays(Arbitrary<Object> inner) {
        return inner.array(Object[].class).ofMaxSize(3).map(a -> (Object) a);
    }

    private Arbitrary<Object> leaves() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.bytes().map(v -> (Object) v),
                Arbitraries.shorts().map(v -> (Object) v),
                Arbitraries.integers().map(v -> (Object) v),
                Arbitraries.longs().map(v -> (Object) v),
                Arbitraries.of(0L, -1L, (1L << 53) - 1, 1L << 53, (1L << 53) + 1, -(1L << 53) - 1, Long.MAX_VALUE, Long.MIN_VALUE,
                        (long) Integer.MAX_VALUE + 1, (long) Integer.MIN_VALUE - 1).map(v -> (Object) v),
                floats().map(v -> (Object) v),
                doubles().map(v -> (Object) v),
                bigIntegers().map(v -> (Object) v),
                bigDecimals().map(v -> (Object) v),
                strings().map(v -> (Object) v),
                Arbitraries.chars().all().map(v -> (Object) v),
                Arbitraries.of(true, false).map(v -> (Object) v),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(16).map(v -> (Object) v),
                Arbitraries.integers().array(int[].class).ofMaxSize(3).map(v -> (Object) v),
                Arbitraries.just(null)));
    }

    private static Arbitrary<Float> floats() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(Float::intBitsToFloat),
                Arbitraries.of(0.1f, -0.0f, 0.0f, 1.1f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
                        Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 16777217f, 3.4028235e38f, 1e-45f));
    }

    private static Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(Double::longBitsToDouble),
                Arbitraries.of(0.1, -0.0, 0.0, 1e23, 2.82879384806159E17, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
                        -Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 9007199254740993.0));
    }

    private static Arbitrary<BigInteger> bigIntegers() {
        Arbitrary<BigInteger> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(1010).map(BigInteger::new);
        return Arbitraries.oneOf(
                Combinators.combine(digits, Arbitraries.of(1, -1)).as((d, sign) -> sign < 0 ? d.negate() : d),
                Arbitraries.of(BigInteger.ZERO, BigInteger.TWO.pow(63), BigInteger.TWO.pow(64).negate(), BigInteger.TEN.pow(999),
                        BigInteger.TEN.pow(1000), BigInteger.TEN.pow(999).negate().subtract(BigInteger.ONE)));
    }

    private static Arbitrary<BigDecimal> bigDecimals() {
        Arbitrary<BigInteger> unscaled = Arbitraries.oneOf(
                Arbitraries.longs().map(BigInteger::valueOf),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(1005).map(BigInteger::new));
        Arbitrary<Integer> scales = Arbitraries.oneOf(Arbitraries.integers().between(-400, 400),
                Arbitraries.of(0, 1, 2, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, -Integer.MAX_VALUE));
        return Arbitraries.oneOf(
                Combinators.combine(unscaled, scales).as(BigDecimal::new),
                Arbitraries.of("0.1", "1.50", "0.10", "1E+400", "-1E-400", "0.0", "-0.0", "1E+2", "0E-10", "2.82879384806159E17",
                        "0.30000000000000000001", "1.7976931348623157E308", "4.9E-324", "2.4703282292062328E-324").map(BigDecimal::new),
                doubles().filter(Double::isFinite).map(d -> new BigDecimal(Double.toString(d))));
    }

    // ---- the oracle: what JSON cannot carry, and what "the same value" means

    /** Why JSON cannot carry {@code v} exactly, or null when it can. */
    private static String problem(Object v, int depth) {
        if (v instanceof Map<?, ?> m) {
            if (depth + 1 > MAX_DEPTH) {
                return "too deep";
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String p = problem((String) e.getKey(), true);
                if (p == null) {
                    p = problem(e.getValue(), depth + 1);
                }
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        if (isList(v)) {
            if (depth + 1 > MAX_DEPTH) {
                return "too deep";
            }
            for (Object item : items(v)) {
                String p = problem(item, depth + 1);
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        if (v instanceof String s) {
            return problem(s, true);
        }
        if (v instanceof Character c) {
            return Character.isSurrogate(c) ? "unpaired surrogate" : null;
        }
        if (v instanceof Float f) {
            return Float.isFinite(f) ? null : "not finite";
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) ? null : "not finite";
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() >= 64 && b.toString().length() > MAX_NUMBER_CHARS ? "too many digits" : null;
        }
        if (v instanceof BigDecimal bd) {
            String text = bd.scale() == 0 ? bd.unscaledValue().toString() : bd.toString();
            boolean fitsLong = bd.scale() == 0 && bd.unscaledValue().bitLength() < 64;
            if (!fitsLong && text.length() > MAX_NUMBER_CHARS) {
                return "too many digits";
            }
            try {
                new BigDecimal(text);
                return null;
            } catch (NumberFormatException e) {
                return "its text does not read back: " + e.getMessage();
            }
        }
        return null;
    }

    /** Unpaired surrogates, judged by round-tripping through UTF-8 (which replaces them). */
    private static String problem(String s, boolean unused) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s) ? null : "unpaired surrogate";
    }

    /** Asserts that {@code got} (as a client or worker holds it) is the same value as {@code set}. */
    private static void assertSame(Object set, Object got, String where) {
        if (set == null) {
            assertNull(got, where);
        } else if (set instanceof Map<?, ?> m) {
            assertTrue(got instanceof Map, where + ": a map arrived as " + got);
            Map<?, ?> g = (Map<?, ?>) got;
            assertEquals(new ArrayList<>(m.keySet()), new ArrayList<>(g.keySet()), where + ": keys and their order");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                assertSame(e.getValue(), g.get(e.getKey()), where + "." + e.getKey());
            }
        } else if (isList(set)) {
            assertTrue(got instanceof List, where + ": a list arrived as " + got);
            Iterator<?> g = ((List<?>) got).iterator();
            int i = 0;
            for (Object item : items(set)) {
                assertTrue(g.hasNext(), where + ": list too short");
                assertSame(item, g.next(), where + "[" + i++ + "]");
            }
            assertTrue(!g.hasNext(), where + ": list too long");
        } else if (set instanceof Float f) {
            assertEquals(Double.parseDouble(Float.toString(f)), got, where + ": a float is its shortest decimal");
        } else if (set instanceof Double) {
            assertEquals(set, got, where);
        } else if (set instanceof BigDecimal bd) {
            assertTrue(got instanceof Number, where + ": " + got);
            assertEquals(0, bd.compareTo(new BigDecimal(got.toString())), where + ": " + bd + " arrived as " + got);
        } else if (set instanceof Byte || set instanceof Short || set instanceof Integer || set instanceof Long || set instanceof BigInteger) {
            assertTrue(got instanceof Integer || got instanceof Long || got instanceof BigInteger, where + ": " + got);
            assertEquals(new BigInteger(set.toString()), new BigInteger(got.toString()), where);
        } else if (set instanceof byte[] bytes) {
            assertArrayEquals(bytes, Base64.getDecoder().decode((String) got), where);
        } else if (set instanceof Character c) {
            assertEquals(String.valueOf(c), got, where);
        } else {
            assertEquals(set, got, where);
        }
    }

    /** {@code task.param(key, <the set value's own type>)} gives the value back. */
    private static void assertReadsBackAsSet(Object set, Task task, String key) {
        if (set instanceof Float || set instanceof Double || set instanceof Byte || set instanceof Short
                || set instanceof Integer || set instanceof Long || set instanceof BigInteger || set instanceof String || set instanceof Boolean) {
            assertEquals(set, task.param(key, set.getClass()), "param(" + key + ", " + set.getClass().getSimpleName() + ")");
        } else if (set instanceof BigDecimal bd) {
            assertEquals(0, bd.compareTo(task.param(key, BigDecimal.class)), "param(BigDecimal)");
        } else if (set instanceof byte[] bytes) {
            assertArrayEquals(bytes, task.param(key, byte[].class), "param(byte[])");
        }
    }

    private static Task roundTrip(TaskCodec codec, Task t) {
        Envelope e = codec.decode(codec.encode(new Envelope("id-1", t.name(), t.params(), 1, 0)));
        return Task.received(e.name(), e.params(), "id-1", 1);
    }

    private static boolean isList(Object v) {
        return v instanceof Collection<?> || (v != null && v.getClass().isArray() && !(v instanceof byte[]));
    }

    private static List<Object> items(Object v) {
        if (v instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < Array.getLength(v); i++) {
            out.add(Array.get(v, i));
        }
        return out;
    }

    /** The same tree with every map and list (and array) replaced by a fresh LinkedHashMap or ArrayList. */
    private static Object mutableCopy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, mutableCopy(x)));
            return out;
        }
        if (isList(v)) {
            List<Object> out = new ArrayList<>();
            items(v).forEach(x -> out.add(mutableCopy(x)));
            return out;
        }
        return v;
    }

    private static void collectContainers(Object v, List<Object> out) {
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        collect(v, out, seen);
    }

    private static void collect(Object v, List<Object> out, IdentityHashMap<Object, Boolean> seen) {
        if (!(v instanceof Map || v instanceof List) || seen.put(v, Boolean.TRUE) != null) {
            return;
        }
        out.add(v);
        for (Object child : v instanceof Map<?, ?> m ? m.values() : (List<?>) v) {
            collect(child, out, seen);
        }
    }

    private static String shown(String key) {
        return key.length() > 64 ? key.substring(0, 64) : key;
    }
}
