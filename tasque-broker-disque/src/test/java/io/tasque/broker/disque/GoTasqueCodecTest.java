package io.tasque.broker.disque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.codec.Envelope;
import io.tasque.codec.PayloadTooLargeException;
import io.tasque.codec.UndecodablePayloadException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Go tasque's JSON read from fixtures written the way Go's encoding/json writes a tasque.Task, and written back. */
class GoTasqueCodecTest {

    private final GoTasqueCodec codec = new GoTasqueCodec(512 * 1024);

    private Envelope fixture(String name) throws IOException {
        return codec.decode(DisqueContract.fixture(name));
    }

    @Test
    void aGoJobWithGosZeroEnqueueTimeReadsAsUnknownTime() throws IOException {
        Envelope e = fixture("download-zero-time.json");
        assertEquals("download", e.name());
        assertEquals(Map.of("url", "http://example.org"), e.params());
        assertEquals(0, e.enqueuedAt());
        assertEquals(0, e.expiresAt());
        assertEquals("", e.id());
    }

    @Test
    void aRealEnqueueTimeWithNanosecondsAndZoneReadsToTheMillisecond() throws IOException {
        Envelope e = fixture("real-time-with-nanos-and-zone.json");
        assertEquals(Instant.parse("2016-04-29T11:45:07.123Z").toEpochMilli(), e.enqueuedAt());
        assertEquals(Map.of("day", "2016-04-29"), e.params());
    }

    @Test
    void nestedParamsKeepTheirJsonTypes() throws IOException {
        Map<String, Object> p = fixture("nested-params.json").params();
        assertEquals(12345678901234L, p.get("big"));
        assertEquals(false, p.get("dryRun"));
        assertEquals(1000, p.get("limit"));
        assertTrue(p.containsKey("owner"));
        assertNull(p.get("owner"));
        assertEquals(0.25, p.get("ratio"));
        assertEquals(Map.of("bucket", "b", "keys", List.of("a.csv", "b.csv"), "kind", "s3"), p.get("source"));
        assertEquals(List.of(), p.get("tags"));
    }

    @Test
    void unknownFieldsAreIgnored() throws IOException {
        Envelope e = fixture("unknown-extra-fields.json");
        assertEquals("download", e.name());
        assertEquals(Map.of("url", "http://example.org"), e.params());
    }

    @Test
    void missingOrNullParamsReadAsNoParams() throws IOException {
        assertEquals(Map.of(), fixture("missing-params.json").params());
        assertEquals(Map.of(), fixture("null-params.json").params());
        assertEquals("ping", fixture("null-params.json").name());
    }

    @Test
    void aMissingEnqueueTimeReadsAsUnknownTime() throws IOException {
        assertEquals(0, fixture("missing-enqueue-time.json").enqueuedAt());
    }

    @Test
    void keysMatchCaseInsensitivelyAsGoReadsThem() throws IOException {
        Envelope e = fixture("lowercase-keys.json");
        assertEquals("download", e.name());
        assertEquals(Map.of("url", "http://example.org"), e.params());
    }

    @Test
    void whatGoCannotReadIsRefusedWithTheReason() {
        assertReason("not a Go tasque job", "not json");
        assertReason("not a Go tasque job", "[1,2]");
        assertReason("no task name", "{\"Params\":{}}");
        assertReason("no task name", "{\"Name\":\"\"}");
        assertReason("no task name", "{\"Name\":42}");
        assertReason("\"Params\" is a", "{\"Name\":\"x\",\"Params\":\"url\"}");
        assertReason("not an RFC 3339 time", "{\"Name\":\"x\",\"EnqueueTime\":\"yesterday\"}");
        assertReason("not an RFC 3339 time string", "{\"Name\":\"x\",\"EnqueueTime\":12}");
        assertReason("JSON null", "null");
        assertReason("empty payload", "");
    }

    private void assertReason(String expected, String json) {
        UndecodablePayloadException e = assertThrows(UndecodablePayloadException.class,
                () -> codec.decode(json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void javaWritesGoTasquesFieldsInGosOrder() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("url", "http://example.org");
        byte[] json = codec.encode(new Envelope("id-1", "download", params, 0, 0));
        assertEquals("{\"Name\":\"download\",\"Params\":{\"url\":\"http://example.org\"},\"EnqueueTime\":\"0001-01-01T00:00:00Z\"}",
                new String(json, StandardCharsets.UTF_8));
    }

    @Test
    void aKnownEnqueueTimeAndTtlAreWrittenAsRfc3339() {
        long at = Instant.parse("2026-11-21T11:25:08.765Z").toEpochMilli();
        byte[] json = codec.encode(new Envelope("id-1", "foo", Map.of(), at, at + 86_400_000L));
        assertEquals("{\"Name\":\"foo\",\"Params\":{},\"EnqueueTime\":\"2026-11-21T11:25:08.765Z\",\"ExpireTime\":\"2026-11-22T11:25:08.765Z\"}",
                new String(json, StandardCharsets.UTF_8));
        Envelope back = codec.decode(json);
        assertEquals(at, back.enqueuedAt());
        assertEquals(at + 86_400_000L, back.expiresAt());
        assertEquals(at + 86_400_000L, GoTasqueCodec.expiresAtOf(json));
    }

    @Test
    void everyJsonTypeRoundTrips() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("s", "text é ✓");
        params.put("i", 42);
        params.put("l", 1L << 40);
        params.put("big", new BigInteger("123456789012345678901234567890"));
        params.put("d", 2.5);
        params.put("b", true);
        params.put("n", null);
        params.put("map", Map.of("k", List.of(1, "two", false)));
        Envelope in = new Envelope("", "foo", params, 1000, 2000);
        assertEquals(in, codec.decode(codec.encode(in)));
    }

    @Test
    void whatJavaWritesIsWhatAGoWorkerReads() throws IOException {
        long at = Instant.parse("2026-11-21T11:25:08.765Z").toEpochMilli();
        byte[] json = codec.encode(new Envelope("id-1", "download", Map.of("url", "http://example.org"), at, at + 1000));
        GoReader.GoTask go = GoReader.read(json);
        assertEquals("download", go.name());
        assertEquals(Map.of("url", "http://example.org"), go.params());
        assertEquals("2026-11-21T11:25:08.765Z", go.enqueueTime());
    }

    @Test
    void javasExtraFieldsNeverLandInAGoField() {
        for (String key : List.of(GoTasqueCodec.EXPIRE_TIME, JobBody.KEY)) {
            assertNull(GoReader.fieldFor(key), key + " would be read into a Go tasque field");
        }
    }

    @Test
    void aPayloadOverTheLimitIsRefusedWithItsSize() {
        GoTasqueCodec small = new GoTasqueCodec(1024);
        PayloadTooLargeException e = assertThrows(PayloadTooLargeException.class,
                () -> small.encode(new Envelope("", "foo", Map.of("blob", "x".repeat(2000)), 0, 0)));
        assertTrue(e.getMessage().contains("foo"), e.getMessage());
        assertTrue(e.size() > 1024);
    }

    @Test
    void aParamJsonCannotWriteIsRefusedNamingTheTask() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.encode(new Envelope("", "foo", Map.of("x", new Object()), 0, 0)));
        assertTrue(e.getMessage().contains("'foo'"), e.getMessage());
    }
    @Test
    void headersRideInTheJavaOnlyExtrasObjectAndRoundTripWhileAGoReaderSeesItsOwnFields() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("trace", "t-1");
        headers.put("tenant", "acme ✓");
        Envelope in = new Envelope("", "download", Map.of("url", "http://example.org"), 0, 0, headers);
        byte[] json = codec.encode(in);
        assertEquals("{\"Name\":\"download\",\"Params\":{\"url\":\"http://example.org\"},\"EnqueueTime\":\"0001-01-01T00:00:00Z\","
                + "\"Tasque\":{\"headers\":{\"trace\":\"t-1\",\"tenant\":\"acme ✓\"}}}", new String(json, StandardCharsets.UTF_8));
        assertEquals(in, codec.decode(json));
        assertEquals(new GoReader.GoTask("download", Map.of("url", "http://example.org"), GoTasqueCodec.GO_ZERO_TIME), GoReader.read(json));
    }

    @Test
    void aGoJobWithoutTheExtrasObjectReadsAsATaskWithoutHeaders() throws IOException {
        assertEquals(Map.of(), fixture("download-zero-time.json").headers());
        assertEquals(Map.of(), codec.decode("{\"Name\":\"x\",\"Tasque\":{\"attempts\":2}}".getBytes(StandardCharsets.UTF_8)).headers());
        assertEquals(Map.of(), codec.decode("{\"Name\":\"x\",\"Tasque\":\"not ours\"}".getBytes(StandardCharsets.UTF_8)).headers());
    }

    @Test
    void headersOfTheWrongShapeAreRefusedNamingTheField() {
        assertReason("\"Tasque.headers\" is a ArrayList", "{\"Name\":\"x\",\"Tasque\":{\"headers\":[1]}}");
        assertReason("\"Tasque.headers\" has header 'n' of type Integer", "{\"Name\":\"x\",\"Tasque\":{\"headers\":{\"n\":1}}}");
    }

    @Test
    void headersSurviveTheBrokersMetaBeingJoinedAndSplitAgain() {
        Envelope in = new Envelope("", "download", Map.of("u", 1), 0, 0, Map.of("trace", "t-2"));
        byte[] payload = codec.encode(in);
        byte[] body = JobBody.join(payload, new JobMeta(2, 0, "boom", 0));
        byte[] again = JobBody.join(JobBody.split(body).payload(), new JobMeta(3, 1, "again", 0));
        JobBody.Parts parts = JobBody.split(again);
        assertEquals(new JobMeta(3, 1, "again", 0), parts.meta());
        assertEquals(in, codec.decode(parts.payload()));
        assertEquals(in, codec.decode(again), "the stored body itself still reads with its headers");
        assertTrue(JobBody.split(payload).payload() == payload, "headers alone are no meta: the body is read as it is");
        assertEquals(JobMeta.NONE, JobBody.split(payload).meta());
    }
}
