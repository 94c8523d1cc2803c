package io.tasque.broker.redis;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Ends another connection's blocking wait ({@code BLPOP}) with {@code CLIENT UNBLOCK}. The waiter may be between
 * saying it blocks and sending its command, so this tries again for a short while until Redis says the client was
 * unblocked or the waiter says it no longer blocks.
 */
final class ClientUnblock {

    /** How long an unblock keeps trying on a waiter that is about to block. */
    static final Duration PATIENCE = Duration.ofSeconds(1);

    private ClientUnblock() {
    }

    /**
     * Unblocks client {@code id}, asking on connections from {@code connection}, while {@code blocking} holds.
     * Gives up when the node cannot be reached (its waits end with their connections) or the thread is interrupted.
     */
    static void until(Supplier<Jedis> connection, long id, BooleanSupplier blocking) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (id != 0 && blocking.getAsBoolean() && System.nanoTime() < deadline) {
            try (Jedis jedis = connection.get()) {
                if (jedis.clientUnblock(id) == 1L) {
                    return;
                }
            } catch (JedisException e) {
                return;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
