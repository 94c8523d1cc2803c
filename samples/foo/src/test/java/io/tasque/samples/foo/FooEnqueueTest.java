package io.tasque.samples.foo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import io.tasque.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@WithRedis
class FooEnqueueTest {

    private final RedisServer redis;

    FooEnqueueTest(RedisServer redis) {
        this.redis = redis;
    }

    @Test
    void submitsOneFooTaskPerTextThatAWorkerReceives() throws InterruptedException {
        FooEnqueue.main(new String[] {"--broker", redis.uri(), "one", "two words"});

        assertEquals(List.of("one", "two words"), received(2));
    }

    @Test
    void withoutATextItSubmitsHello() throws InterruptedException {
        FooEnqueue.main(new String[] {"--broker", redis.uri()});

        assertEquals(List.of("hello"), received(1));
    }

    /** The texts a worker on the same broker receives, sorted, waiting (at most 30 s each) until there are {@code n}. */
    private List<String> received(int n) throws InterruptedException {
        BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        List<String> received = new ArrayList<>();
        try (Worker worker = Worker.builder()
                .broker(redis.uri())
                .handle("foo", task -> texts.add(task.param("text", String.class)))
                .shutdownHook(false)
                .build()
                .start()) {
            while (received.size() < n) {
                String text = texts.poll(30, TimeUnit.SECONDS);
                assertNotNull(text, "the worker received only " + received);
                received.add(text);
            }
        }
        return received.stream().sorted().toList();
    }
}
