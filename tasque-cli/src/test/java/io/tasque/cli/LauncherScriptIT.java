package io.tasque.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the built launcher {@code target/tasque} (and through it the runnable jar) as a real process, the way
 * scripts use it. Runs in the verify phase, after the jar is packaged; skipped with a message when it is not.
 */
@WithRedis
class LauncherScriptIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LAUNCHER = Path.of("target", "tasque");

    private final RedisServer redis;

    LauncherScriptIT(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void launcherIsBuilt() {
        Assumptions.assumeTrue(Files.isExecutable(LAUNCHER),
                LAUNCHER.toAbsolutePath() + " is not built; run ./mvnw -pl tasque-cli -am verify to build and test it");
    }

    private record Ran(int exit, String out, String err) {
    }

    private Ran run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("TASQUE_BROKER", redis.uri());
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tasque " + args + " did not end within 60 s");
        }
        return new Ran(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theLauncherPrintsStatsAsJsonOnStdoutFromTheBrokerInTheEnvironment() throws Exception {
        try (TasqueClient c = TasqueClient.connect(redis.uri())) {
            c.submit(Task.of("download"));
            c.submit(Task.of("download"));
        }
        Ran r = run(List.of("stats", "--json"));
        assertEquals(0, r.exit(), r.toString());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(1, doc.size(), r.out());
        assertEquals("download", doc.get(0).get("name").asText());
        assertEquals(2, doc.get(0).get("ready").asInt());
    }

    @Test
    void theLauncherPassesArgumentsAndExitCodesThrough() throws Exception {
        Ran submitted = run(List.of("submit", "email", "to=a b@example.org", "n=3"));
        assertEquals(0, submitted.exit(), submitted.toString());
        String id = submitted.out().trim();
        Ran job = run(List.of("job", "email", id, "--json"));
        assertEquals(0, job.exit(), job.toString());
        JsonNode doc = JSON.readTree(job.out());
        assertEquals("a b@example.org", doc.get("params").get("to").asText());
        assertEquals(3, doc.get("params").get("n").asInt());

        Ran unknown = run(List.of("job", "email", "nope"));
        assertEquals(ExitCodes.UNKNOWN_JOB, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("no job email/nope"), unknown.toString());
    }
}
