package io.tasque.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasque.client.QueueCounts;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code dead}, {@code retry-dead} and {@code delete-dead}: by id and {@code --all}, with the progress bar. */
@WithRedis
class DeadLetterCommandsTest extends CliFixture {

    DeadLetterCommandsTest(RedisServer redis) {
        super(redis);
    }

    @Test
    void deadListsTheDeadLetterOldestFirstAsATableAndAsJson() throws Exception {
        List<String> ids = DeadJobs.make(redis.uri(), "email", 3, "smtp said no");

        CliRun json = CliRun.run(env, "dead", "email", "--json");
        assertEquals(0, json.exit(), json.toString());
        JsonNode doc = JSON.readTree(json.out());
        assertEquals(3, doc.size(), doc.toString());
        for (int i = 0; i < 3; i++) {
            JsonNode d = doc.get(i);
            assertEquals(ids.get(i), d.get("id").asText(), doc.toString());
            assertEquals(1, d.get("attempts").asInt(), d.toString());
            assertTrue(d.get("lastError").asText().contains("smtp said no"), d.toString());
            assertEquals(i, d.get("params").get("n").asInt(), d.toString());
        }

        CliRun page = CliRun.run(env, "dead", "email", "--offset", "1", "--limit", "1", "--json");
        assertEquals(List.of(ids.get(1)), List.of(JSON.readTree(page.out()).get(0).get("id").asText()));
        assertEquals(1, JSON.readTree(page.out()).size(), page.toString());

        CliRun table = CliRun.run(env, "dead", "email");
        assertEquals(0, table.exit(), table.toString());
        String[] lines = table.out().split("\n");
        assertEquals(4, lines.length, table.toString());
        assertTrue(lines[0].startsWith("ID ") && lines[0].contains("LAST ERROR"), table.toString());
        assertTrue(lines[1].startsWith(ids.get(0) + " ") && lines[1].contains("smtp said no"), table.toString());
    }

    @Test
    void retryDeadSendsTheNamedJobsBackAndExitsWithThreeForOneThatIsNotThere() throws Exception {
        List<String> ids = DeadJobs.make(redis.uri(), "email", 3, "boom");
        CliRun r = CliRun.run(env, "retry-dead", "email", ids.get(0), ids.get(2));
        assertEquals(0, r.exit(), r.toString());
        assertEquals("retried 2 dead jobs of email\n", r.out(), r.toString());
        QueueCounts c = client.admin().stats("email");
        assertEquals(2, c.ready(), c.toString());
        assertEquals(1, c.dead(), c.toString());
        assertEquals(ids.get(1), client.admin().deadTasks("email").get(0).id());

        CliRun missing = CliRun.run(env, "retry-dead", "email", "nope", ids.get(1), "--json");
        assertEquals(ExitCodes.UNKNOWN_JOB, missing.exit(), missing.toString());
        JsonNode doc = JSON.readTree(missing.out());
        assertEquals(1, doc.get("retried").asInt(), doc.toString());
        assertEquals("nope", doc.get("missing").get(0).asText(), doc.toString());
        assertTrue(missing.err().contains("no dead job email/nope"), missing.toString());
        assertEquals(0, client.admin().stats("email").dead());
    }

    @Test
    void deleteDeadDeletesByIdOrAll() throws Exception {
        List<String> ids = DeadJobs.make(redis.uri(), "email", 5, "boom");
        CliRun one = CliRun.run(env, "delete-dead", "email", ids.get(0), "--json");
        assertEquals(0, one.exit(), one.toString());
        assertEquals(1, JSON.readTree(one.out()).get("deleted").asInt(), one.toString());
        assertEquals(4, client.admin().stats("email").dead());

        CliRun all = CliRun.run(env, "delete-dead", "email", "--all");
        assertEquals(0, all.exit(), all.toString());
        assertEquals("deleted 4 dead jobs of email\n", all.out(), all.toString());
        assertEquals(0, client.admin().stats("email").dead());
        assertEquals(0, client.admin().stats("email").ready());
        assertEquals("", all.err(), "no progress bar unless asked or on a terminal");
    }

    @Test
    void retryDeadAllRetriesTwoThousandJobsWithAProgressBarOnStderr() throws Exception {
        DeadJobs.make(redis.uri(), "bulk", 2000, "boom");
        CliRun r = CliRun.run(env, "retry-dead", "bulk", "--all", "--progress", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(2000, doc.get("retried").asInt(), doc.toString());
        QueueCounts c = client.admin().stats("bulk");
        assertEquals(2000, c.ready(), c.toString());
        assertEquals(0, c.dead(), c.toString());
        assertTrue(r.err().contains("retried bulk ["), r.err());
        assertTrue(r.err().contains("] 2000/2000 (100%)"), r.err());
        assertTrue(r.err().contains("] 1000/2000 (50%)"), r.err());
        assertFalse(r.out().contains("\r"), "the bar stays off stdout");
    }

    @Test
    void theProgressBarIsDrawnWhenStderrIsATerminal() {
        DeadJobs.make(redis.uri(), "bulk", 3, "boom");
        CliRun r = CliRun.run(env, true, "delete-dead", "bulk", "--all");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.err().contains("] 3/3 (100%)"), r.toString());
    }

    @Test
    void idsAndAllTogetherOrNeitherAreUsageErrors() {
        CliRun both = CliRun.run(env, "retry-dead", "email", "x", "--all");
        assertEquals(ExitCodes.USAGE, both.exit(), both.toString());
        assertTrue(both.err().contains("give either ids or --all, not both"), both.toString());
        CliRun neither = CliRun.run(env, "delete-dead", "email");
        assertEquals(ExitCodes.USAGE, neither.exit(), neither.toString());
        assertTrue(neither.err().contains("give the ids of the dead jobs, or --all"), neither.toString());
    }
}
