package io.tasque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.codec.Envelope;
import io.tasque.codec.EnvelopeCodec;
import io.tasque.codec.TaskCodec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Params reach the worker with the value the client set: through each codec and {@link Task#received}, nothing is
 * rounded, widened into another value or turned into something else on the way.
 */
public class ParamPrecisionTest {

    /** The codecs every value goes through; a broker module with its own codec runs this suite with it. */
    protected List<TaskCodec> codecs() {
        return List.of(new EnvelopeCodec());
    }

    @Test
    void aBigDecimalArrivesAsTheSameNumber() {
        for (String text : List.of("0.1000000000000000000001", "1E+400", "-1E-400", "123456789012345678901234567890.5", "1.50", "0.1")) {
            BigDecimal set = new BigDecimal(text);
            for (TaskCodec codec : codecs()) {
                Task worker = roundTrip(codec, Task.of("money").set("amount", set));
                BigDecimal got = worker.param("amount", BigDecimal.class);
                assertEquals(0, set.compareTo(got), text + " arrived as " + worker.params().get("amount") + " via " + codec);
            }
        }
    }

    @Test
    void aFloatArrivesAsItsShortestDecimal() {
        for (TaskCodec codec : codecs()) {
            Task worker = roundTrip(codec, Task.of("f").set("x", 0.1f).set("max", Float.MAX_VALUE).set("tiny", Float.MIN_VALUE));
            assertEquals(0.1, worker.param("x", Double.class), "0.1f read as a Double via " + codec);
            assertEquals(0.1f, worker.param("x", Float.class));
            assertEquals(Float.MAX_VALUE, worker.param("max", Float.class));
            assertEquals(Float.MIN_VALUE, worker.param("tiny", Float.class));
        }
        assertEquals(0.1, Task.of("f").set("x", 0.1f).param("x", Double.class), "the client's own copy agrees");
    }

    @Test
    void wholeNumbersOfEveryWidthArriveExactly() {
        BigInteger huge = new BigInteger("123456789012345678901234567890123456789");
        for (TaskCodec codec : codecs()) {
            Task worker = roundTrip(codec, Task.of("n").set("l", (1L << 53) + 1).set("min", Long.MIN_VALUE)
                    .set("b", (byte) -7).set("s", (short) 300).set("big", huge));
            assertEquals((1L << 53) + 1, worker.param("l", Long.class));
            assertEquals(Long.MIN_VALUE, worker.param("min", Long.class));
            assertEquals((byte) -7, worker.param("b", Byte.class));
            assertEquals((short) 300, worker.param("s", Short.class));
            assertEquals(huge, worker.param("big", BigInteger.class));
        }
    }

    @Test
    void aByteArrayRoundTripsAsBase64() {
        byte[] bytes = {0, -1, 127, -128, 42};
        for (TaskCodec codec : codecs()) {
            Task worker = roundTrip(codec, Task.of("bin").set("data", bytes));
            assertArrayEquals(bytes, worker.param("data", byte[].class), "via " + codec);
            assertEquals("AP9/gCo=", worker.param("data", String.class));
        }
    }

    @Test
    void theWorkerHoldsTheSameParamsAsTheClient() {
        Task client = Task.of("mixed").set("f", 2.5f).set("d", -0.0).set("bd", new BigDecimal("2.50")).set("l", 7L)
                .set("nested", Map.of("list", List.of(1.1f, new BigDecimal("1E+400"), (short) 2)));
        for (TaskCodec codec : codecs()) {
            assertEquals(client.params(), roundTrip(codec, client).params(), "via " + codec);
        }
    }

    @Test
    void aStringWithAnUnpairedSurrogateIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Task.of("t").set("text", "a\uD800b"));
        assertTrue(e.getMessage().contains("'text'") && e.getMessage().contains("U+D800"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Task.of("t").set("m", Map.of("k\uDC00", 1)));
        assertTrue(e.getMessage().contains("'m.k") && e.getMessage().contains("U+DC00"), e.getMessage());
    }

    @Test
    void aMapOrListThatContainsItselfIsRefusedNamingTheKey() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("self", map);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Task.of("t").set("graph", map));
        assertTrue(e.getMessage().contains("'graph.self'") && e.getMessage().contains("contains itself"), e.getMessage());
        List<Object> list = new ArrayList<>();
        list.add(List.of(list));
        e = assertThrows(IllegalArgumentException.class, () -> Task.of("t").set("loop", list));
        assertTrue(e.getMessage().contains("'loop[0][0]'") && e.getMessage().contains("contains itself"), e.getMessage());
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedAtSetNamingTheKey() {
        assertEquals(100, depthOf(Task.of("t").set("deep", nested(100)).params().get("deep")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Task.of("t").set("deep", nested(101)));
        assertTrue(e.getMessage().startsWith("param 'deep[0]") && e.getMessage().contains("deeper than 100 levels"), e.getMessage());
        // what the worker's reader would have refused (over 1000 levels) never gets as far as an encoder
        assertThrows(IllegalArgumentException.class, () -> Task.of("t").set("deep", nested(1200)));
    }

    @Test
    void numbersAndKeysOverTheReadersLimitsAreRefusedNamingTheKey() {
        BigInteger digits1001 = BigInteger.TEN.pow(1000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Task.of("t").set("n", digits1001));
        assertTrue(e.getMessage().contains("'n'") && e.getMessage().contains("1001 characters"), e.getMessage());
        Task.of("t").set("n", BigInteger.TEN.pow(999));
        String longKey = "✓".repeat(20_000);
        e = assertThrows(IllegalArgumentException.class, () -> Task.of("t").set("m", Map.of(longKey, 1)));
        assertTrue(e.getMessage().contains("'m.✓✓✓") && e.getMessage().contains("60000 UTF-8 bytes"), e.getMessage());
    }

    @Test
    void anEncoderRefusesATypeJsonHasNoFormForInsteadOfWritingItsFields() {
        record Point(int x, int y) {
        }
        for (TaskCodec codec : codecs()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> codec.encode(new Envelope("id", "t", Map.of("p", new Point(1, 2)), 0, 0)));
            assertTrue(e.getMessage().contains("'p'") && e.getMessage().contains("Point"), codec + ": " + e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> codec.encode(new Envelope("id", "t", Map.of("x", Float.NaN), 0, 0)));
            assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("NaN"), codec + ": " + e.getMessage());
        }
    }

    @Test
    void aDecimalFromAnotherWriterIsReadWithoutLoss() {
        String json = "{\"v\":1,\"id\":\"x\",\"name\":\"t\",\"params\":{\"a\":1.5e-07,\"b\":0.30000000000000000001,\"c\":1e400}}";
        Task worker = decode(new EnvelopeCodec(), json.getBytes(StandardCharsets.UTF_8));
        assertEquals(1.5e-7, worker.params().get("a"));
        assertEquals(new BigDecimal("0.30000000000000000001"), worker.params().get("b"));
        assertEquals(new BigDecimal("1e400"), worker.params().get("c"));
    }

    private static Task roundTrip(TaskCodec codec, Task t) {
        return decode(codec, codec.encode(new Envelope("id-1", t.name(), t.params(), 1, 0)));
    }

    private static Task decode(TaskCodec codec, byte[] bytes) {
        Envelope e = codec.decode(bytes);
        return Task.received(e.name(), e.params(), "id-1", 1);
    }

    private static Object nested(int levels) {
        Object v = "bottom";
        for (int i = 0; i < levels; i++) {
            v = List.of(v);
        }
        return v;
    }

    private static int depthOf(Object v) {
        int depth = 0;
        while (v instanceof List<?> l) {
            depth++;
            v = l.get(0);
        }
        return depth;
    }
}
