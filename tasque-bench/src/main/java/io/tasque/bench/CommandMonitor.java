package io.tasque.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;

/**
 * A Redis {@code MONITOR} connection read on a thread of its own: every command the server runs, from any
 * client or from inside a script, becomes one {@link MonitorLine}. Started before the work to watch and
 * stopped (its socket closed) after it; {@link #stop()} returns what it saw.
 */
final class CommandMonitor {

    private static final long START_TIMEOUT_MS = 5_000;

    private final Jedis jedis;
    private final String address;
    private final List<MonitorLine> lines = new ArrayList<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private final Thread reader;
    private volatile RuntimeException failure;
    private volatile boolean stopping;

    private CommandMonitor(Jedis jedis) {
        this.jedis = jedis;
        this.address = RedisStats.attribute(jedis.clientInfo(), "addr");
        this.reader = new Thread(this::read, "bench-monitor");
        this.reader.setDaemon(true);
    }

    /**
     * Opens the connection and enters MONITOR.
     *
     * @throws IllegalStateException when the server refuses MONITOR (for example an ACL without it)
     */
    static CommandMonitor start(RedisTarget redis) throws InterruptedException {
        CommandMonitor m = new CommandMonitor(redis.connect());
        m.reader.start();
        boolean ok = m.started.await(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (m.failure != null || !ok) {
            m.jedis.close();
            throw new IllegalStateException("MONITOR did not start: "
                    + (m.failure != null ? m.failure.getMessage() : "no reply in " + START_TIMEOUT_MS + " ms"));
        }
        return m;
    }

    /** This connection's own {@code addr} as Redis reports it in CLIENT LIST and in MONITOR lines. */
    String address() {
        return address;
    }

    /**
     * Waits until a line stamped after {@code micros} (server clock) has arrived, so that every earlier line
     * has too; false if none came within the start timeout.
     */
    boolean awaitLineAfter(long micros) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            synchronized (lines) {
                if (!lines.isEmpty() && lines.get(lines.size() - 1).micros() > micros) {
                    return true;
                }
            }
            Thread.sleep(10);
        }
        return false;
    }

    /**
     * Closes the connection and returns every command line seen, in order.
     *
     * @throws IllegalStateException when the connection broke before it was stopped (the lines would be short)
     */
    List<MonitorLine> stop() throws InterruptedException {
        stopping = true;
        jedis.getConnection().disconnect();
        reader.join(START_TIMEOUT_MS);
        jedis.close();
        if (failure != null) {
            throw new IllegalStateException("MONITOR connection broke: " + failure.getMessage(), failure);
        }
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    private void read() {
        try {
            jedis.monitor(new JedisMonitor() {
                @Override
                public void proceed(Connection connection) {
                    started.countDown();
                    super.proceed(connection);
                }

                @Override
                public void onCommand(String line) {
                    MonitorLine parsed = MonitorLine.parse(line);
                    if (parsed != null) {
                        synchronized (lines) {
                            lines.add(parsed);
                        }
                    }
                }
            });
        } catch (RuntimeException e) {
            if (!stopping) {
                failure = e;
            }
        } finally {
            started.countDown();
        }
    }
}
