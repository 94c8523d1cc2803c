package io.tasque.samples.foo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.LogCapture;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@WithRedis
class FooWorkerTest {

    private final RedisServer redis;

    FooWorkerTest(RedisServer redis) {
        this.redis = redis;
    }

    @Test
    void logsTheTextOfEachFooTaskFromTheGivenBrokerAndStopsWhenInterrupted() throws InterruptedException {
        Thread main = new Thread(() -> FooWorker.main(new String[] {"--broker", redis.uri()}), "foo-worker-main");
        try (LogCapture log = LogCapture.start();
             TasqueClient client = TasqueClient.connect(redis.uri())) {
            main.start();
            client.submit(Task.of("foo").set("text", "hello from the test"));

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !log.linesContaining("foo: hello from the test").isEmpty());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.admin().stats("foo"),
                            s -> s.ready() + s.delayed() + s.running() + s.dead() == 0);
        } finally {
            main.interrupt();
            main.join(Duration.ofSeconds(60).toMillis());
        }
        assertFalse(main.isAlive(), "FooWorker did not stop when interrupted");
    }
}
