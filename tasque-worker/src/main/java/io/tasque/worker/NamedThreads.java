package io.tasque.worker;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names the threads of a worker's executors {@code <prefix>1}, {@code <prefix>2}, … so a thread dump tells whose they are. */
final class NamedThreads {

    private NamedThreads() {
    }

    static ThreadFactory named(String prefix, boolean daemon) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(daemon);
            return t;
        };
    }
}
