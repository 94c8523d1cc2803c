package io.tasque.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * What the command tests share: a test's Redis (injected by {@code @WithRedis}), {@code TASQUE_BROKER} pointing at
 * it for {@link CliRun}, a client to set up and check jobs with, and a JSON reader for {@code --json} output.
 */
abstract class CliFixture {

    static final ObjectMapper JSON = new ObjectMapper();

    final RedisServer redis;
    final Map<String, String> env;
    final TasqueClient client;

    CliFixture(RedisServer redis) {
        this.redis = redis;
        this.env = Map.of("TASQUE_BROKER", redis.uri());
        this.client = TasqueClient.connect(redis.uri());
    }

    @AfterEach
    void closeClient() {
        client.close();
    }
}
