package io.tasque.worker;

import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What a worker test runs on its Redis: one client and the workers the test starts, all closed after it. */
final class WorkerFixture implements AutoCloseable {

    private final RedisServer redis;
    private final TasqueClient client;
    private final List<Worker> workers = new ArrayList<>();

    WorkerFixture(RedisServer redis) {
        this.redis = redis;
        this.client = TasqueClient.connect(redis.uri());
    }

    TasqueClient client() {
        return client;
    }

    /** A worker builder on this Redis, without a shutdown hook, with a 5 s grace period. */
    Worker.Builder builder() {
        return Worker.builder().broker(redis.uri()).shutdownHook(false).gracePeriod(Duration.ofSeconds(5));
    }

    /** Closes {@code w} after the test. */
    Worker closeLater(Worker w) {
        workers.add(w);
        return w;
    }

    /** Builds and starts a worker that is closed after the test. */
    Worker start(Worker.Builder b) {
        return closeLater(b.build()).start();
    }

    @Override
    public void close() {
        workers.forEach(Worker::close);
        client.close();
    }
}
