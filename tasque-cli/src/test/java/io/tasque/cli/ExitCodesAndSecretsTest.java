package io.tasque.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exit codes (0 success, 1 usage, 2 broker, 3 unknown job), {@code --help} on every command, and a password in
 * the broker URI that appears in no output, whatever happens.
 */
@WithRedis
class ExitCodesAndSecretsTest {

    private static final String PASSWORD = "Sw0rdfish-7Q";
    private static final List<String> COMMANDS =
            List.of("stats", "jobs", "job", "dead", "retry-dead", "delete-dead", "cancel", "submit");

    private final RedisServer redis;

    ExitCodesAndSecretsTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void addUser() {
        redis.command("ACL", "SETUSER", "ops", "on", ">" + PASSWORD, "~*", "&*", "+@all");
    }

    private String uriWithPassword(String password) {
        return "redis://ops:" + password + "@127.0.0.1:" + redis.port();
    }

    @Test
    void helpWorksOnEveryCommandAndExitsWithZero() {
        CliRun top = CliRun.run(Map.of(), "--help");
        assertEquals(0, top.exit(), top.toString());
        for (String c : COMMANDS) {
            assertTrue(top.out().contains("  " + c + " "), c + " missing in\n" + top);
            CliRun r = CliRun.run(Map.of(), c, "--help");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().startsWith("Usage: tasque " + c), r.toString());
        }
    }

    @Test
    void usageErrorsExitWithOne() {
        Map<String, String> env = Map.of("TASQUE_BROKER", redis.uri());
        List<List<String>> wrong = List.of(
                List.of(),
                List.of("frobnicate"),
                List.of("stats", "--bogus"),
                List.of("job", "download"),
                List.of("jobs", "download", "--state", "LOST"),
                List.of("jobs", "download", "--limit", "0"),
                List.of("submit", "download", "--delay", "soon"),
                List.of("submit", "has space"),
                List.of("--broker", "redis://", "stats"));
        for (List<String> args : wrong) {
            CliRun r = CliRun.run(env, args.toArray(String[]::new));
            assertEquals(ExitCodes.USAGE, r.exit(), args + "\n" + r);
            assertEquals("", r.out(), args + "\n" + r);
        }
    }

    @Test
    void aBrokerThatDoesNotAnswerExitsWithTwoNamingIt() {
        int closedPort = redis.port();
        redis.stop();
        CliRun r = CliRun.run(Map.of(), "--broker", "redis://127.0.0.1:" + closedPort, "--timeout", "1s", "stats");
        assertEquals(ExitCodes.BROKER, r.exit(), r.toString());
        assertTrue(r.err().startsWith("tasque stats: redis://127.0.0.1:" + closedPort), r.toString());
        assertEquals("", r.out(), r.toString());
    }

    @Test
    void aDisqueBrokerIsKnownAndOneThatDoesNotAnswerExitsWithTwo() {
        int closedPort = redis.port();
        redis.stop();
        CliRun r = CliRun.run(Map.of(), "--broker", "disque://127.0.0.1:" + closedPort, "--timeout", "1s", "stats");
        assertEquals(ExitCodes.BROKER, r.exit(), "the scheme is known (a usage error would be 1): " + r);
        assertTrue(r.err().startsWith("tasque stats: "), r.toString());
        assertTrue(r.err().contains("127.0.0.1:" + closedPort), r.toString());
    }

    @Test
    void thePasswordWorksAndIsNeverPrinted() {
        String id;
        try (TasqueClient c = TasqueClient.connect(uriWithPassword(PASSWORD))) {
            id = c.submit(Task.of("download"));
        }
        String uri = uriWithPassword(PASSWORD);
        List<CliRun> runs = List.of(
                CliRun.run(Map.of(), "--broker", uri, "stats"),
                CliRun.run(Map.of("TASQUE_BROKER", uri), "job", "download", id, "--json"),
                CliRun.run(Map.of("TASQUE_BROKER", uri), "job", "download", "nope"),
                CliRun.run(Map.of(), "--broker", uriWithPassword("wrong-" + PASSWORD), "stats"),
                CliRun.run(Map.of(), "--broker", uri + "/notadb", "stats"),
                CliRun.run(Map.of(), "--broker", uri.replace(":" + redis.port(), ":1"), "--timeout", "1s", "stats"));
        assertEquals(List.of(0, 0, 3, 2, 1, 2), runs.stream().map(CliRun::exit).toList(), runs.toString());
        for (CliRun r : runs) {
            assertFalse(r.all().contains(PASSWORD), r.toString());
        }
        assertTrue(runs.get(3).err().contains("WRONGPASS"), runs.get(3).toString());
    }
}
