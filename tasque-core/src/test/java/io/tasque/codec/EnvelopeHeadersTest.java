package io.tasque.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The envelope's optional {@code headers} field: written only when there are headers, read when present. */
class EnvelopeHeadersTest {

    /** The version 1 envelope as it was written before headers existed. */
    private static final String WITHOUT_HEADERS =
            "{\"v\":1,\"id\":\"id-1\",\"name\":\"foo\",\"params\":{\"a\":1,\"s\":\"x\"},\"enqueuedAt\":1000,\"expiresAt\":2000}";

    private final EnvelopeCodec codec = new EnvelopeCodec();

    private static Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("a", 1);
        p.put("s", "x");
        return p;
    }

    @Test
    void aTaskWithoutHeadersIsEncodedByteForByteAsBefore() {
        byte[] expected = WITHOUT_HEADERS.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expected, codec.encode(new Envelope("id-1", "foo", params(), 1000, 2000)),
                new String(codec.encode(new Envelope("id-1", "foo", params(), 1000, 2000)), StandardCharsets.UTF_8));
        assertArrayEquals(expected, codec.encode(new Envelope("id-1", "foo", params(), 1000, 2000, Map.of())));
        assertArrayEquals(expected, codec.encode(new Envelope("id-1", "foo", params(), 1000, 2000, null)));
        assertEquals(Map.of(), codec.decode(expected).headers(), "a payload without headers reads as none");
    }

    @Test
    void headersAreWrittenAfterTheParamsAndReadBackInOrder() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("trace", "abc-123");
        headers.put("tenant", "acme ✓ \"quoted\"");
        Envelope in = new Envelope("id-1", "foo", params(), 1000, 2000, headers);
        byte[] bytes = codec.encode(in);
        assertEquals("{\"v\":1,\"id\":\"id-1\",\"name\":\"foo\",\"params\":{\"a\":1,\"s\":\"x\"},"
                + "\"headers\":{\"trace\":\"abc-123\",\"tenant\":\"acme ✓ \\\"quoted\\\"\"},\"enqueuedAt\":1000,\"expiresAt\":2000}",
                new String(bytes, StandardCharsets.UTF_8));
        Envelope out = codec.decode(bytes);
        assertEquals(in, out);
        assertEquals(java.util.List.of("trace", "tenant"), java.util.List.copyOf(out.headers().keySet()));
    }

    @Test
    void headersOfTheWrongShapeAreRefusedNamingTheField() {
        assertReason("{\"v\":1,\"id\":\"x\",\"name\":\"foo\",\"headers\":[\"a\"]}", "\"headers\" is a ArrayList, not an object of strings");
        assertReason("{\"v\":1,\"id\":\"x\",\"name\":\"foo\",\"headers\":\"a=b\"}", "\"headers\" is a String");
        assertReason("{\"v\":1,\"id\":\"x\",\"name\":\"foo\",\"headers\":{\"n\":5}}", "header 'n' of type Integer, not a string");
        assertReason("{\"v\":1,\"id\":\"x\",\"name\":\"foo\",\"headers\":{\"o\":{\"x\":\"y\"}}}", "header 'o' of type LinkedHashMap");
        assertReason("{\"v\":1,\"id\":\"x\",\"name\":\"foo\",\"headers\":{\"z\":null}}", "header 'z' of type null");
        assertEquals(Map.of(), codec.decode("{\"v\":1,\"id\":\"x\",\"name\":\"foo\",\"headers\":null}"
                .getBytes(StandardCharsets.UTF_8)).headers());
    }

    private void assertReason(String payload, String reason) {
        UndecodablePayloadException e = assertThrows(UndecodablePayloadException.class,
                () -> codec.decode(payload.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }
}
