package io.tasque.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    private final EnvelopeCodec codec = new EnvelopeCodec();

    @Test
    void everyJsonTypeRoundTrips() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("s", "text é ✓");
        params.put("i", 42);
        params.put("l", 1L << 40);
        params.put("d", 2.5);
        params.put("b", true);
        params.put("n", null);
        params.put("map", Map.of("k", List.of(1, "two", false)));
        params.put("list", List.of(Map.of("x", 1), List.of()));
        Envelope in = new Envelope("id-1", "foo", params, 1000, 2000);
        Envelope out = codec.decode(codec.encode(in));
        assertEquals(in, out);
        assertEquals(Long.class, out.params().get("l").getClass());
        assertEquals(Integer.class, out.params().get("i").getClass());
    }

    @Test
    void aPayloadOverTheLimitIsRefusedWithItsSize() {
        EnvelopeCodec small = new EnvelopeCodec(1024);
        Envelope big = new Envelope("id", "foo", Map.of("blob", "x".repeat(2000)), 0, 0);
        PayloadTooLargeException e = assertThrows(PayloadTooLargeException.class, () -> small.encode(big));
        assertTrue(e.getMessage().contains("task 'foo'") && e.getMessage().contains("limit of 1024"), e.getMessage());
        assertTrue(e.size() > 2000);
    }

    @Test
    void garbageTruncatedUnknownVersionAndMissingNameAreRefusedWithTheReason() {
        assertReason("\u0000\u0001garbage", "not valid JSON");
        byte[] good = codec.encode(new Envelope("id", "foo", Map.of("a", 1), 1, 0));
        assertReason(new String(Arrays.copyOf(good, good.length / 2), StandardCharsets.UTF_8), "not valid JSON");
        assertReason("{\"v\":99,\"id\":\"x\",\"name\":\"foo\"}", "unknown envelope version 99");
        assertReason("{\"v\":1,\"id\":\"x\"}", "no task name");
        assertReason("{\"v\":1,\"name\":\"foo\"}", "no job id");
        assertReason("{\"id\":\"x\",\"name\":\"foo\"}", "no version");
        assertReason("[1,2]", "not valid JSON");
        assertReason("{\"v\":1,\"id\":\"x\",\"name\":\"foo\",\"params\":[1]}", "params is a");
        assertReason("", "empty payload");
    }

    @Test
    void unknownFieldsAreIgnoredSoLaterWritersCanAddThem() {
        Envelope e = codec.decode("{\"v\":1,\"id\":\"x\",\"name\":\"foo\",\"params\":{},\"future\":true}".getBytes(StandardCharsets.UTF_8));
        assertEquals("foo", e.name());
    }

    @Test
    void aRepeatedFieldKeepsItsLastValueAndAnUnknownFieldIsStillCheckedAsJson() {
        Envelope e = codec.decode("{\"v\":1,\"id\":\"a\",\"name\":\"foo\",\"id\":\"b\",\"enqueuedAt\":5}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("b", e.id());
        assertEquals(5, e.enqueuedAt());
        assertReason("{\"v\":1,\"id\":\"x\",\"name\":\"foo\",\"future\":[1,}", "not valid JSON");
        assertReason("{\"v\":1,\"id\":\"x\",\"name\":\"foo\",\"enqueuedAt\":\"soon\"}", "\"enqueuedAt\" is not a whole number");
    }

    @Test
    void eachEncodeReturnsItsOwnBytesAlsoAroundALargeTaskOnTheSameThread() {
        Envelope small = new Envelope("id-1", "foo", Map.of("a", 1), 1, 2);
        byte[] first = codec.encode(small);
        byte[] firstCopy = first.clone();
        Envelope large = new Envelope("id-2", "foo", Map.of("blob", "y".repeat(100_000)), 1, 2);
        assertEquals(large, codec.decode(codec.encode(large)));
        byte[] second = codec.encode(small);
        assertTrue(first != second, "a new array for every payload");
        assertTrue(Arrays.equals(firstCopy, first), "an earlier payload is never written over");
        assertTrue(Arrays.equals(first, second));
        assertEquals(small, codec.decode(second));
        assertThrows(PayloadTooLargeException.class, () -> new EnvelopeCodec(1024).encode(large));
        assertEquals(small, codec.decode(codec.encode(small)), "a refused payload leaves the next one intact");
    }

    private void assertReason(String payload, String reason) {
        UndecodablePayloadException e = assertThrows(UndecodablePayloadException.class,
                () -> codec.decode(payload.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }
}
