package io.tasque.broker.disque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker's meta rides in the body beside Go tasque's fields and comes out leaving the payload as it was. */
class JobBodyTest {

    private static final byte[] GO_JOB = bytes("{\"Name\":\"download\",\"Params\":{\"url\":\"http://example.org\"},\"EnqueueTime\":\"0001-01-01T00:00:00Z\"}");

    @Test
    void aJobWithoutMetaIsStoredAndReadExactlyAsSubmitted() {
        assertSame(GO_JOB, JobBody.join(GO_JOB, JobMeta.NONE));
        JobBody.Parts parts = JobBody.split(GO_JOB);
        assertSame(GO_JOB, parts.payload());
        assertEquals(JobMeta.NONE, parts.meta());
    }

    @Test
    void metaGoesBesideGoTasquesFieldsAndComesOutAgain() throws IOException {
        long died = Instant.parse("2026-11-21T12:00:00.123Z").toEpochMilli();
        JobMeta meta = new JobMeta(3, 1, "boom\n  at Foo.bar", died);
        byte[] body = JobBody.join(GO_JOB, meta);
        assertEquals(new GoReader.GoTask("download", Map.of("url", "http://example.org"), "0001-01-01T00:00:00Z"), GoReader.read(body));
        JobBody.Parts parts = JobBody.split(body);
        assertEquals(meta, parts.meta());
        assertEquals(meta, JobBody.metaOf(body));
        assertArrayEquals(GO_JOB, parts.payload());
    }

    @Test
    void theFirstCopysIdIsCarriedThroughEveryLaterCopy() {
        byte[] retry = JobBody.join(GO_JOB, new JobMeta(1, 0, "boom", 0, "D-first"));
        JobMeta carried = JobBody.split(retry).meta();
        assertEquals("D-first", carried.firstId());
        assertEquals("D-first", carried.jobId("D-second"), "a later copy answers to the first id");
        assertEquals("D-only", JobMeta.NONE.jobId("D-only"), "a first copy answers to its own id");
        byte[] again = JobBody.join(JobBody.split(retry).payload(), new JobMeta(2, 0, "boom", 0, carried.jobId("D-second")));
        assertEquals("D-first", JobBody.split(again).meta().firstId());
    }

    @Test
    void newMetaReplacesTheOldOneInsteadOfAddingASecond() {
        byte[] once = JobBody.join(GO_JOB, new JobMeta(1, 0, "first", 0));
        byte[] twice = JobBody.join(JobBody.split(once).payload(), new JobMeta(2, 0, "second", 0));
        assertEquals(new JobMeta(2, 0, "second", 0), JobBody.split(twice).meta());
        assertEquals(1, new String(twice, StandardCharsets.UTF_8).split("\"Tasque\"", -1).length - 1);
    }

    @Test
    void aPayloadThatIsNotAJsonObjectComesBackByteForByte() {
        for (byte[] raw : new byte[][] {bytes("payload-a"), {0, (byte) 0xff, 0x7b}, bytes("[1,2]"), bytes("{broken"), new byte[0]}) {
            byte[] body = JobBody.join(raw, new JobMeta(1, 0, "x", 0));
            JobBody.Parts parts = JobBody.split(body);
            assertArrayEquals(raw, parts.payload());
            assertEquals(new JobMeta(1, 0, "x", 0), parts.meta());
        }
    }

    @Test
    void numbersKeepTheirExactValuesThroughMeta() {
        byte[] payload = bytes("{\"Name\":\"n\",\"Params\":{\"big\":123456789012345678901234567890,\"f\":0.1000,\"e\":1e400,\"i\":7}}");
        byte[] back = JobBody.split(JobBody.join(payload, new JobMeta(1, 0, null, 0))).payload();
        assertEquals("{\"Name\":\"n\",\"Params\":{\"big\":123456789012345678901234567890,\"f\":0.1000,\"e\":1E+400,\"i\":7}}",
                new String(back, StandardCharsets.UTF_8));
    }

    @Test
    void aParamNamedLikeTheMetaKeyIsLeftAlone() {
        byte[] payload = bytes("{\"Name\":\"n\",\"Params\":{\"Tasque\":{\"attempts\":9}}}");
        JobBody.Parts parts = JobBody.split(payload);
        assertSame(payload, parts.payload());
        assertEquals(JobMeta.NONE, parts.meta());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
