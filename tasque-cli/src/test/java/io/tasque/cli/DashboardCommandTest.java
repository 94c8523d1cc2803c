package io.tasque.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** {@code tasque dashboard} serves the dashboard, with the token it was given, until it is stopped. */
@WithRedis
class DashboardCommandTest {

    private final RedisServer redis;

    DashboardCommandTest(RedisServer redis) {
        this.redis = redis;
    }

    @Test
    void theDashboardServesItsApiWithTheGivenTokenUntilStopped() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = TasqueCli.commandLine(Map.<String, String>of()::get, false);
        cl.setOut(new PrintWriter(out, true));
        DashboardCommand command = cl.getSubcommands().get("dashboard").getCommand();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(
                () -> cl.execute("--broker", redis.uri(), "dashboard", "--port", "0", "--token", "s3cret-token"));
        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("tasque dashboard: "));
        Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/\\?token=s3cret-token").matcher(out.toString());
        assertTrue(m.find(), out.toString());
        HttpClient http = HttpClient.newHttpClient();
        URI stats = URI.create("http://127.0.0.1:" + m.group(1) + "/api/stats");
        assertEquals(200, http.send(HttpRequest.newBuilder(stats).header("X-Tasque-Token", "s3cret-token").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(403, http.send(HttpRequest.newBuilder(stats).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        command.stop.countDown();
        assertEquals(0, run.get());
    }
}
