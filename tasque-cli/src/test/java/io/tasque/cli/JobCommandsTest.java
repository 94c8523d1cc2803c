package io.tasque.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasque.Task;
import io.tasque.client.JobInfo;
import io.tasque.client.JobState;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code jobs}, {@code job}, {@code cancel} and {@code submit}, as tables and as JSON, with their exit codes. */
@WithRedis
class JobCommandsTest extends CliFixture {

    JobCommandsTest(RedisServer redis) {
        super(redis);
    }

    @Test
    void submitPrintsTheJobIdAndTypesValuesThatAreJsonNumbersOrBooleans() {
        CliRun r = CliRun.run(env, "submit", "download", "url=https://example.org/a.pdf?x=1", "size=42", "ratio=0.5",
                "ok=true", "zip=007", "none=null", "big=123456789012345678901234567890");
        assertEquals(0, r.exit(), r.toString());
        String id = r.out().trim();
        JobInfo job = client.admin().job("download", id).orElseThrow();
        assertEquals(JobState.READY, job.state());
        Map<String, Object> p = job.params();
        assertEquals("https://example.org/a.pdf?x=1", p.get("url"));
        assertEquals(42, ((Number) p.get("size")).intValue());
        assertEquals(0.5, ((Number) p.get("ratio")).doubleValue());
        assertEquals(Boolean.TRUE, p.get("ok"));
        assertEquals("007", p.get("zip"));
        assertEquals("null", p.get("none"));
        assertEquals(new BigInteger("123456789012345678901234567890"), new BigInteger(p.get("big").toString()));
    }

    @Test
    void submitWithDelayAndIdStoresADelayedJobUnderThatId() throws Exception {
        CliRun r = CliRun.run(env, "submit", "report", "--delay", "60s", "--id", "monthly-2026-11", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals("monthly-2026-11", doc.get("id").asText());
        JobInfo job = client.admin().job("report", "monthly-2026-11").orElseThrow();
        assertEquals(JobState.DELAYED, job.state());
        assertTrue(job.at().isAfter(java.time.Instant.now().plusSeconds(50)), job.toString());
    }

    @Test
    void submitRefusesAParameterWithoutEqualsAsAUsageError() {
        CliRun r = CliRun.run(env, "submit", "download", "url");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("parameter 'url' has no '='; write key=value"), r.toString());
        assertEquals(List.of(), client.admin().queues());
    }

    @Test
    void jobPrintsOneJobAsLinesAndAsJson() throws Exception {
        String id = client.submit(Task.of("download").set("url", "u").id("dl-1"));
        CliRun text = CliRun.run(env, "job", "download", id);
        assertEquals(0, text.exit(), text.toString());
        assertTrue(text.out().contains("id:         dl-1\n"), text.toString());
        assertTrue(text.out().contains("state:      READY\n"), text.toString());
        assertTrue(text.out().contains("params:     {\"url\":\"u\"}\n"), text.toString());

        CliRun json = CliRun.run(env, "job", "download", id, "--json");
        assertEquals(0, json.exit(), json.toString());
        JsonNode doc = JSON.readTree(json.out());
        assertEquals(List.of("id", "name", "state", "attempt", "params", "lastError"), fieldNames(doc));
        assertEquals("dl-1", doc.get("id").asText());
        assertEquals("download", doc.get("name").asText());
        assertEquals("READY", doc.get("state").asText());
        assertEquals(0, doc.get("attempt").asInt());
        assertEquals("u", doc.get("params").get("url").asText());
        assertTrue(doc.get("lastError").isNull(), doc.toString());
    }

    @Test
    void jobOfADeadJobShowsItsLastError() throws Exception {
        String id = DeadJobs.make(redis.uri(), "email", 1, "smtp said no").get(0);
        CliRun r = CliRun.run(env, "job", "email", id, "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals("DEAD", doc.get("state").asText());
        assertTrue(doc.get("lastError").asText().contains("smtp said no"), doc.toString());
    }

    @Test
    void jobOfAnUnknownIdExitsWithThree() {
        CliRun r = CliRun.run(env, "job", "download", "nope", "--json");
        assertEquals(ExitCodes.UNKNOWN_JOB, r.exit(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertTrue(r.err().contains("no job download/nope"), r.toString());
    }

    @Test
    void jobsListsEveryStateOrOneAndHonoursTheLimit() throws Exception {
        String dead = DeadJobs.make(redis.uri(), "download", 1, "boom").get(0);
        String ready = client.submit(Task.of("download"));
        String delayed = client.submit(Task.of("download"), Duration.ofMinutes(5));
        client.submit(Task.of("download"));

        CliRun all = CliRun.run(env, "jobs", "download", "--json");
        assertEquals(0, all.exit(), all.toString());
        JsonNode doc = JSON.readTree(all.out());
        assertEquals(4, doc.size(), doc.toString());

        CliRun onlyDelayed = CliRun.run(env, "jobs", "download", "--state", "delayed", "--json");
        JsonNode d = JSON.readTree(onlyDelayed.out());
        assertEquals(1, d.size(), d.toString());
        assertEquals(delayed, d.get(0).get("id").asText());
        assertEquals("DELAYED", d.get(0).get("state").asText());

        CliRun limited = CliRun.run(env, "jobs", "download", "--limit", "1", "--json");
        assertEquals(1, JSON.readTree(limited.out()).size(), limited.toString());

        CliRun table = CliRun.run(env, "jobs", "download", "--state", "DEAD");
        assertEquals(0, table.exit(), table.toString());
        String[] lines = table.out().split("\n");
        assertEquals(2, lines.length, table.toString());
        assertTrue(lines[0].startsWith("ID "), table.toString());
        assertTrue(lines[1].startsWith(dead + " ") && lines[1].contains("DEAD") && lines[1].contains("boom"), table.toString());
        assertTrue(!table.out().contains(ready), table.toString());
    }

    @Test
    void cancelDeletesAWaitingJobAndExitsWithThreeWhenNothingIsLeftToCancel() throws Exception {
        String id = client.submit(Task.of("download"), Duration.ofMinutes(5));
        CliRun r = CliRun.run(env, "cancel", "download", id);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("cancelled download/" + id + "\n", r.out(), r.toString());
        assertEquals(JobState.CANCELLED, client.admin().job("download", id).orElseThrow().state());

        String ready = client.submit(Task.of("download"));
        CliRun json = CliRun.run(env, "cancel", "download", ready, "--json");
        assertEquals(0, json.exit(), json.toString());
        assertTrue(JSON.readTree(json.out()).get("cancelled").asBoolean(), json.toString());
        assertEquals(JobState.CANCELLED, client.admin().job("download", ready).orElseThrow().state());

        CliRun again = CliRun.run(env, "cancel", "download", id);
        assertEquals(ExitCodes.UNKNOWN_JOB, again.exit(), again.toString());
        assertTrue(again.err().contains("job download/" + id + " is CANCELLED; nothing to cancel"), again.toString());

        CliRun unknown = CliRun.run(env, "cancel", "download", "never-was");
        assertEquals(ExitCodes.UNKNOWN_JOB, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("no job download/never-was"), unknown.toString());
    }

    private static List<String> fieldNames(JsonNode doc) {
        List<String> names = new java.util.ArrayList<>();
        doc.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
