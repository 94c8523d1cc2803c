package io.tasque.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tasque.client.TasqueClient;
import io.tasque.testkit.CallLoad;
import io.tasque.testkit.RedisServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a submit that returned means under each Redis durability setting, measured by killing redis-server
 * (SIGKILL) while four threads submit, restarting it on the same directory and counting which returned ids
 * are still stored. A process kill leaves what Redis wrote in the operating system's page cache, so
 * {@code everysec} loses nothing here either; only a machine crash tells it from {@code always}.
 */
@Tag("slow")
class DurabilityTest {

    private static final int SUBMITS_BEFORE_KILL = 2000;

    @Test
    void withAppendfsyncAlwaysEverySubmitThatReturnedSurvivesAKillAndRestart() {
        Survival s = killWhileSubmitting("always");
        assertEquals(0, s.lost(), s.line());
    }

    @Test
    void withAppendfsyncEverysecEverySubmitThatReturnedSurvivesAProcessKill() {
        Survival s = killWhileSubmitting("everysec");
        assertEquals(0, s.lost(), s.line());
    }

    @Test
    void withoutPersistenceARestartLosesEveryQueuedJob() {
        Survival s = killWhileSubmitting(null);
        assertEquals(s.submitted(), s.lost(), s.line());
    }

    /** How many of the submits that returned an id were still stored after the restart. */
    private record Survival(String mode, int submitted, int survived, double submitsPerSecond) {
        int lost() {
            return submitted - survived;
        }

        String line() {
            return "durability " + mode + ": submitted=" + submitted + " survived=" + survived + " lost=" + lost()
                    + String.format(" (%.0f submits/s from 4 threads before the kill)", submitsPerSecond);
        }
    }

    private static Survival killWhileSubmitting(String fsync) {
        String mode = fsync == null ? "no persistence" : "appendfsync " + fsync;
        try (RedisServer redis = RedisServer.builder().appendOnly(fsync).start();
             TasqueClient client = TasqueClient.builder().broker(redis.uri()).enqueueTimeout(Duration.ofSeconds(1)).build()) {
            long start = System.nanoTime();
            CallLoad submitter = CallLoad.of(n -> client.submit(Behaviour.plain(n))).threads(4).threadName("submitter")
                    .start();
            await().atMost(Duration.ofMinutes(1)).until(() -> submitter.succeeded() >= SUBMITS_BEFORE_KILL);
            double rate = submitter.succeeded() / ((System.nanoTime() - start) / 1e9);
            redis.kill();
            submitter.close();
            redis.restart();
            List<String> returned = submitter.results();
            Set<String> stored;
            try (Ledger ledger = Ledger.connect(redis.uri(), 1, Duration.ofSeconds(5))) {
                stored = new HashSet<>(ledger.read(j -> j.hkeys(TasqueKeys.JOBS)));
            }
            int survived = (int) returned.stream().filter(stored::contains).count();
            Survival s = new Survival(mode, returned.size(), survived, rate);
            System.out.println(s.line());
            Accounting.report(s.line());
            return s;
        }
    }
}
