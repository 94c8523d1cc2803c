package io.tasque.dashboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tasque.Task;
import io.tasque.broker.WorkerBeat;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.AclUsers;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import io.tasque.worker.Worker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dashboard connected as the operator user of docs/SECURITY.md (its ACL line read from that file), beside a
 * worker and a submitter with theirs: every page's read and every action works, and Redis refuses nothing.
 */
@WithRedis
class DashboardAclTest {

    private static final String TOKEN = "acl-test-token-0123";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisServer redis;
    private final AclUsers users;
    private final HttpClient http = HttpClient.newHttpClient();

    DashboardAclTest(RedisServer redis) {
        this.redis = redis;
        this.users = new AclUsers(redis, Path.of("..", "docs", "SECURITY.md"));
    }

    @Test
    void everyReadAndActionWorksAsTheDocumentedOperatorUser() throws Exception {
        String operator = users.create("tasque-admin");
        String submitter = users.create("tasque-submit");
        String workerUser = users.create("tasque-worker");
        redis.command("ACL", "LOG", "RESET");
        long now = System.currentTimeMillis();
        redis.command("HSET", "tasque:workers", "old-host:1:gone", new WorkerBeat("old-host", 1, 2, 0, List.of("mail"),
                now - 120_000, now - 600_000).json());

        try (TasqueClient client = TasqueClient.connect(submitter);
                Worker worker = Worker.builder().broker(workerUser).shutdownHook(false).maxAttempts(1)
                        .handle("mail", t -> {
                            throw new IllegalStateException("no such mailbox");
                        }).build().start();
                Dashboard dashboard = Dashboard.builder().broker(operator).port(0).token(TOKEN).build().start()) {
            for (int i = 0; i < 5; i++) {
                client.submit(Task.of("mail").set("to", "user" + i + "@example.org"));
            }
            String later = client.submit(Task.of("mail").set("to", "later@example.org"), Duration.ofHours(1));
            await().atMost(WAIT).until(() -> dead(dashboard).size() == 5);
            List<String> dead = dead(dashboard);

            JsonNode stats = get(dashboard, "/api/stats");
            JsonNode mail = stats.get("queues").get(0);
            assertEquals("mail", mail.get("name").asText(), stats.toString());
            assertEquals(5, mail.get("failed").asLong(), stats.toString());
            assertEquals(later, get(dashboard, "/api/jobs?queue=mail&state=delayed").get(0).get("id").asText());
            assertEquals("DEAD", get(dashboard, "/api/job?queue=mail&id=" + dead.get(0)).get("job").get("state").asText());
            JsonNode workers = get(dashboard, "/api/workers");
            assertTrue(workers.toString().contains("old-host"), "the gone worker is shown: " + workers);
            assertEquals("0", redis.command("HEXISTS", "tasque:workers", "old-host:1:gone"), "and dropped from Redis");
            get(dashboard, "/api/schedules");

            assertEquals(1, post(dashboard, "/api/delete-dead", "{\"queue\":\"mail\",\"id\":\"" + dead.get(0) + "\"}").get("deleted").asInt());
            assertEquals(1, post(dashboard, "/api/retry-dead", "{\"queue\":\"mail\",\"id\":\"" + dead.get(1) + "\"}").get("retried").asInt());
            await().atMost(WAIT).until(() -> dead(dashboard).size() == 4);   // it failed again
            assertEquals(4, post(dashboard, "/api/retry-dead-all", "{\"queue\":\"mail\"}").get("retried").asInt());
            await().atMost(WAIT).until(() -> dead(dashboard).size() == 4);
            assertEquals(4, post(dashboard, "/api/delete-dead-all", "{\"queue\":\"mail\"}").get("deleted").asInt());
            assertTrue(post(dashboard, "/api/cancel", "{\"queue\":\"mail\",\"id\":\"" + later + "\"}").get("cancelled").asBoolean());
            assertTrue(dead(dashboard).isEmpty());
            assertTrue(worker.health().healthy(), "the worker, as the documented worker user, met no refusal: " + worker.health());
        }
        assertEquals("", redis.command("ACL", "LOG"), "Redis refused something; ACL LOG:");
    }

    private List<String> dead(Dashboard d) throws Exception {
        List<String> ids = new ArrayList<>();
        get(d, "/api/dead?queue=mail").forEach(j -> ids.add(j.get("id").asText()));
        return ids;
    }

    private JsonNode get(Dashboard d, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(d.url() + path.substring(1)))
                .header(RequestGuard.TOKEN_HEADER, TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode post(Dashboard d, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(d.url() + path.substring(1)))
                .header(RequestGuard.TOKEN_HEADER, TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }
}
