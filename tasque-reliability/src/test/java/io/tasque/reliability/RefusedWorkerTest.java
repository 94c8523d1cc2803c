package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two worker processes log in as an ACL user that loses the right to run scripts while jobs flow, then gets it
 * back: each worker calls it a refusal (once), never an outage, and after the grant every job completes with
 * none lost and none dead.
 */
@WithRedis
@Tag("slow")
class RefusedWorkerTest {

    private static final String USER = "tasque-refused";
    private static final String PASSWORD = "Refused-Pw-7";
    /** Words of the one line the worker logs when the broker refuses it (BrokerHealth). */
    private static final String REFUSED = "check the user's ACL/password";
    private static final String BACK = "accepts this worker";

    private final RedisServer redis;
    private Scenario scenario;

    RefusedWorkerTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void setUp() {
        // every command on every key: the test takes one command away and gives it back; the least-privilege
        // lines themselves are AclTest's
        redis.command("ACL", "SETUSER", USER, "reset", "on", ">" + PASSWORD, "~*", "&*", "+@all");
        scenario = new Scenario("refused-worker", redis);
    }

    @AfterEach
    void tearDown() {
        scenario.close();
    }

    @Test
    void aWorkerWhoseUserLosesAPermissionReportsARefusalNotAnOutageAndLosesNothing() {
        String uri = "redis://" + USER + ":" + PASSWORD + "@127.0.0.1:" + redis.port();
        WorkerProcess a = scenario.start(ChildSettings.worker("A", uri).sleep(Duration.ofMillis(20)));
        WorkerProcess b = scenario.start(ChildSettings.worker("B", uri).sleep(Duration.ofMillis(20)));
        List<String> ids = new ArrayList<>(scenario.submitPlain(0, 600));
        await().atMost(Duration.ofSeconds(60)).until(() -> scenario.ledger().completions().size() >= 100);

        redis.command("ACL", "SETUSER", USER, "-evalsha");
        await().atMost(Duration.ofSeconds(30)).until(() -> a.linesContaining(REFUSED) >= 1 && b.linesContaining(REFUSED) >= 1);
        // the refusal lasts until both workers were refused again after their first report: they keep trying
        long refusals = refusalsLogged();
        await().atMost(Duration.ofSeconds(30)).until(() -> refusalsLogged() >= refusals + 20);

        redis.command("ACL", "SETUSER", USER, "+evalsha");
        scenario.settle(ids, Duration.ofMinutes(2)).assertNothingLost().assertNoneDead();
        await().atMost(Duration.ofSeconds(30)).until(() -> a.linesContaining(BACK) == 1 && b.linesContaining(BACK) == 1);
        for (WorkerProcess w : List.of(a, b)) {
            assertEquals(0, w.linesContaining(OutageLog.DOWN), w.name() + " never called the broker unreachable");
            List<String> refused = w.logLines().stream().filter(l -> l.contains(REFUSED)).toList();
            assertEquals(1, refused.size(), w.name() + " logged the refusal once: " + refused);
            assertTrue(refused.get(0).contains("NOPERM") && refused.get(0).contains("'evalsha'"),
                    w.name() + " named the refusal in the server's words: " + refused.get(0));
            assertEquals(1, w.linesContaining(BACK), w.name() + " logged once that the broker accepts it again");
        }
    }

    /** The sum of the "count" fields of the server's ACL LOG: every refused command of every client. */
    private long refusalsLogged() {
        String log = redis.command("ACL", "LOG");
        long sum = 0;
        String[] lines = log.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].trim().equals("count")) {
                sum += Long.parseLong(lines[i + 1].trim());
            }
        }
        return sum;
    }
}
