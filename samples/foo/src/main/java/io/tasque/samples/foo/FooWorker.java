package io.tasque.samples.foo;

import io.tasque.samples.support.SampleBroker;
import io.tasque.worker.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker main of the foo sample: logs the {@code text} of every {@code foo} task until Ctrl-C or SIGTERM, then
 * lets running tasks finish. {@code FooWorker [--broker URI]}; without a broker it starts an embedded Redis.
 */
public final class FooWorker {

    private static final Logger log = LoggerFactory.getLogger(FooWorker.class);

    private FooWorker() {
    }

    public static void main(String[] args) {
        try (SampleBroker broker = SampleBroker.choose(args);
             Worker worker = Worker.builder()
                     .broker(broker.uri())
                     .concurrency(4)
                     .handle("foo", task -> log.info("foo: {}", task.param("text", String.class)))
                     .build()) {
            worker.run();   // blocks until Ctrl-C, SIGTERM or an interrupt
        }
    }
}
