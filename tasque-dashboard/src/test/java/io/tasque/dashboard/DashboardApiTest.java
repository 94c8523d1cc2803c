package io.tasque.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's HTTP side without a browser, on a real Redis: the token guards every API call, actions are
 * POST only and refuse a foreign Origin or Referer, every answer carries the security headers, and the reads and
 * actions do what they say.
 */
@WithRedis
class DashboardApiTest {

    private static final String TOKEN = "test-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisServer redis;
    private final TasqueClient client;
    private final Dashboard dashboard;
    private final HttpClient http = HttpClient.newHttpClient();

    DashboardApiTest(RedisServer redis) {
        this.redis = redis;
        this.client = TasqueClient.connect(redis.uri());
        this.dashboard = Dashboard.builder().broker(redis.uri()).port(0).token(TOKEN).build().start();
    }

    @AfterEach
    void closeAll() {
        dashboard.close();
        client.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(dashboard.url() + path.substring(1)));
    }

    private HttpRequest.Builder post(String path, String body) {
        return request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** A dead job of queue {@code q}: submitted and run once by a worker whose handler fails and that allows one attempt. */
    private String deadJob(String q) throws Exception {
        String id = client.submit(Task.of(q).set("n", 1));
        io.tasque.worker.Worker w = io.tasque.worker.Worker.builder().broker(redis.uri()).shutdownHook(false).maxAttempts(1)
                .handle(q, t -> {
                    throw new IllegalStateException("boom");
                }).build().start();
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> client.admin().stats(q).dead() == 1);
        } finally {
            w.close();
        }
        return id;
    }

    @Test
    void anActionWithoutTheTokenIsRefusedWith403AndAClearErrorAndWithItWorks() throws Exception {
        String id = deadJob("mail");

        HttpResponse<String> without = send(post("/api/delete-dead", "{\"queue\":\"mail\",\"id\":\"" + id + "\"}"));
        assertEquals(403, without.statusCode());
        assertTrue(json(without).get("error").asText().contains("X-Tasque-Token"), without.body());
        HttpResponse<String> wrong = send(post("/api/delete-dead", "{\"queue\":\"mail\",\"id\":\"" + id + "\"}")
                .header(RequestGuard.TOKEN_HEADER, "not-the-token"));
        assertEquals(403, wrong.statusCode());
        assertEquals(1, client.admin().stats("mail").dead(), "nothing was deleted");

        HttpResponse<String> with = send(post("/api/delete-dead", "{\"queue\":\"mail\",\"id\":\"" + id + "\"}")
                .header(RequestGuard.TOKEN_HEADER, TOKEN));
        assertEquals(200, with.statusCode(), with.body());
        assertEquals(1, json(with).get("deleted").asInt());
        assertEquals(0, client.admin().stats("mail").dead());
    }

    @Test
    void anActionFromAnotherOriginOrRefererIsRefusedEvenWithTheToken() throws Exception {
        String id = deadJob("mail");
        String body = "{\"queue\":\"mail\",\"id\":\"" + id + "\"}";

        HttpResponse<String> origin = send(post("/api/delete-dead", body).header(RequestGuard.TOKEN_HEADER, TOKEN)
                .header("Origin", "http://evil.example"));
        assertEquals(403, origin.statusCode());
        assertTrue(json(origin).get("error").asText().contains("Origin 'http://evil.example'"), origin.body());
        HttpResponse<String> referer = send(post("/api/delete-dead", body).header(RequestGuard.TOKEN_HEADER, TOKEN)
                .header("Referer", "http://127.0.0.1:1/#/dead/mail"));
        assertEquals(403, referer.statusCode());
        assertEquals(1, client.admin().stats("mail").dead(), "nothing was deleted");

        HttpResponse<String> own = send(post("/api/delete-dead", body).header(RequestGuard.TOKEN_HEADER, TOKEN)
                .header("Origin", "http://127.0.0.1:" + dashboard.port()));
        assertEquals(200, own.statusCode(), own.body());
        assertEquals(0, client.admin().stats("mail").dead());
    }

    @Test
    void anActionByGetIsRefusedAndAReadNeedsTheTokenToo() throws Exception {
        HttpResponse<String> get = send(request("/api/retry-dead-all?queue=mail").header(RequestGuard.TOKEN_HEADER, TOKEN));
        assertEquals(403, get.statusCode());
        assertTrue(json(get).get("error").asText().contains("POST"), get.body());

        assertEquals(403, send(request("/api/stats")).statusCode());
        assertEquals(200, send(request("/api/stats").header(RequestGuard.TOKEN_HEADER, TOKEN)).statusCode());
    }

    @Test
    void everyAnswerCarriesTheContentSecurityPolicyAndNoSniff() throws Exception {
        for (HttpResponse<String> r : List.of(send(request("/")), send(request("/app.js")),
                send(request("/api/stats").header(RequestGuard.TOKEN_HEADER, TOKEN)), send(request("/api/stats")),
                send(request("/no-such-page")))) {
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.startsWith("default-src 'self'"), r.uri() + ": " + csp);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), r.uri().toString());
        }
        HttpResponse<String> page = send(request("/"));
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<script src=\"/app.js\""), "the script is a file, no inline script");
        assertEquals(404, send(request("/../pom.xml")).statusCode());
    }

    @Test
    void statsJobsAndJobAnswerWhatTheAdminViewHolds() throws Exception {
        String id = client.submit(Task.of("mail").set("to", "a@example.org").header("tenant", "t1"));

        JsonNode stats = json(send(request("/api/stats").header(RequestGuard.TOKEN_HEADER, TOKEN)));
        assertEquals("mail", stats.get("queues").get(0).get("name").asText());
        assertEquals(1, stats.get("queues").get(0).get("ready").asInt());

        JsonNode jobs = json(send(request("/api/jobs?queue=mail&state=ready").header(RequestGuard.TOKEN_HEADER, TOKEN)));
        assertEquals(id, jobs.get(0).get("id").asText());

        JsonNode job = json(send(request("/api/job?queue=mail&id=" + id).header(RequestGuard.TOKEN_HEADER, TOKEN))).get("job");
        assertEquals("READY", job.get("state").asText());
        assertEquals("a@example.org", job.get("params").get("to").asText());
        assertEquals("t1", job.get("headers").get("tenant").asText());

        HttpResponse<String> bad = send(request("/api/jobs?queue=mail&state=sleeping").header(RequestGuard.TOKEN_HEADER, TOKEN));
        assertEquals(400, bad.statusCode());
        assertTrue(json(bad).get("error").asText().contains("'sleeping'"), bad.body());
    }

    @Test
    void statsCarriesEachQueuesRunTotalsAndKeepsAQueueThatRanEmpty() throws Exception {
        client.submit(Task.of("resize").set("n", 1));
        JsonNode before = json(send(request("/api/stats").header(RequestGuard.TOKEN_HEADER, TOKEN))).get("queues").get(0);
        assertEquals("resize", before.get("name").asText());
        assertEquals(0, before.get("completed").asLong());

        CountDownLatch ran = new CountDownLatch(1);
        io.tasque.worker.Worker w = io.tasque.worker.Worker.builder().broker(redis.uri()).shutdownHook(false)
                .handle("resize", t -> ran.countDown()).build();
        w.start();
        try {
            assertTrue(ran.await(30, TimeUnit.SECONDS));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> client.admin().stats().isEmpty());
        } finally {
            w.close();
        }
        JsonNode after = json(send(request("/api/stats").header(RequestGuard.TOKEN_HEADER, TOKEN))).get("queues");
        assertEquals(1, after.size(), "the emptied queue keeps its row: " + after);
        assertEquals("resize", after.get(0).get("name").asText());
        assertEquals(0, after.get(0).get("ready").asLong());
        assertEquals(1, after.get(0).get("completed").asLong(), after.toString());
        assertEquals(0, after.get(0).get("failed").asLong(), after.toString());
    }

    @Test
    void theSchedulesApiListsTheStoredSchedules() throws Exception {
        client.scheduleEvery("nightly-report", java.time.Duration.ofHours(1), Task.of("report").set("kind", "nightly"));
        JsonNode r = json(send(request("/api/schedules").header(RequestGuard.TOKEN_HEADER, TOKEN)));
        assertTrue(r.get("available").asBoolean(), r.toString());
        JsonNode s = r.get("schedules").get(0);
        assertEquals("nightly-report", s.get("id").asText());
        assertEquals("report", s.get("taskName").asText());
        assertTrue(s.get("definition").asText().contains("PT1H"), s.toString());
        assertTrue(s.get("lastFire").isNull(), "never fired yet");
    }

    @Test
    void retryAllSendsEveryDeadJobBackToItsQueue() throws Exception {
        deadJob("mail");
        HttpResponse<String> r = send(post("/api/retry-dead-all", "{\"queue\":\"mail\"}").header(RequestGuard.TOKEN_HEADER, TOKEN));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, json(r).get("retried").asInt());
        assertEquals(0, client.admin().stats("mail").dead());
        assertEquals(1, client.admin().stats("mail").ready());
    }

    @Test
    void withoutATokenOneIsMadeAtStartAndPrintedWithTheAddress() {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try (Dashboard d = Dashboard.builder().broker(redis.uri()).port(0).build().start()) {
            assertEquals(32, d.token().length());
            assertNotEquals(dashboard.port(), d.port());
            assertTrue(printed.toString(StandardCharsets.UTF_8).contains(d.url() + "?token=" + d.token()), printed.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void aTakenPortFailsNamingTheAddressAndBadSettingsNameTheirValue() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Dashboard.builder().broker(redis.uri()).port(dashboard.port()).build().start());
        assertTrue(e.getMessage().contains("127.0.0.1:" + dashboard.port()), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Dashboard.builder().port(70_000)).getMessage().contains("70000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Dashboard.builder().token("short")).getMessage().contains("5 characters"));
        assertTrue(assertThrows(IllegalStateException.class, () -> Dashboard.builder().build()).getMessage().contains("no broker"));
    }
}
