package io.tasque.broker.redis;

import java.time.Duration;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;

/**
 * Where one call on a Redis Cluster goes next, after the cluster answered it with where its slot is instead of
 * running it. Made only once a call meets such an answer, so a call that needs none pays nothing for it.
 * <ul>
 *   <li>{@code -MOVED slot host:port}: the slot has a new master (a failover, or a finished reshard). The slot map is
 *       learnt again from that node, which knows it serves the slot, and the call goes by the map again; a few
 *       times at most.</li>
 *   <li>{@code -ASK slot host:port}: the slot is being migrated and the command's keys have left its master. The
 *       command goes to that node, on the same connection right after {@code ASKING}; the slot map stays as it is,
 *       since the slot is the old master's until the migration ends.</li>
 *   <li>{@code -TRYAGAIN}: the slot is being migrated and the command's keys are split between the two nodes (or,
 *       on the node they move to, some are not there). The call is made again from the start after a pause of a
 *       few milliseconds, doubling up to {@link #MAX_PAUSE}.</li>
 * </ul>
 * A {@code MOVED} from the node an {@code ASK} sent the call to means that node does not serve the slot yet for a
 * command without {@code ASKING}: a call of several commands lost its {@code ASKING} after the first one (or a
 * {@code NOSCRIPT} reply made it load its script and send it again), or the migration was called off. That too is
 * made again from the start after a pause. All pauses of one call end at the command timeout, after which the
 * call fails with the cluster's last answer.
 */
final class SlotRoute {

    /** Redirections ({@code MOVED}) one call follows before it fails; each one first learns the slot map again. */
    static final int MAX_REDIRECTS = 5;
    /** The first pause before a call whose slot is being migrated is made again. */
    static final Duration FIRST_PAUSE = Duration.ofMillis(2);
    /** The longest pause between two tries of a call whose slot is being migrated. */
    static final Duration MAX_PAUSE = Duration.ofMillis(32);

    private final ClusterSlots cluster;
    private final int slot;
    private final long deadlineNanos;
    private long pauseNanos = FIRST_PAUSE.toNanos();
    private int moves;
    private int asks;
    /** The node an {@code ASK} named, to send the next try to after {@code ASKING}; null to go by the slot map. */
    private HostAndPort asked;

    SlotRoute(ClusterSlots cluster, int slot, Duration commandTimeout) {
        this.cluster = cluster;
        this.slot = slot;
        this.deadlineNanos = System.nanoTime() + commandTimeout.toNanos();
    }

    /**
     * True for an answer that tells where the slot is rather than what went wrong with the command: {@code MOVED},
     * {@code ASK} or {@code TRYAGAIN}.
     */
    static boolean isSlotAnswer(JedisException e) {
        return e instanceof JedisMovedDataException || e instanceof JedisAskDataException || isTryAgain(e);
    }

    /** True for {@code -TRYAGAIN}: the keys of a command are split by a slot migration under way. */
    static boolean isTryAgain(JedisException e) {
        return e instanceof JedisDataException && e.getMessage() != null && e.getMessage().startsWith("TRYAGAIN");
    }

    /** True for an answer that only says the slot is being migrated ({@code ASK} or {@code TRYAGAIN}). */
    static boolean isMigrating(JedisException e) {
        return e instanceof JedisAskDataException || isTryAgain(e);
    }

    /** A connection for the next try: to the node an {@code ASK} named, {@code ASKING} sent, or by the slot map. */
    Jedis connection() {
        if (asked == null) {
            return cluster.master(slot);
        }
        Jedis jedis = cluster.node(asked);
        try {
            jedis.asking();
        } catch (RuntimeException e) {
            jedis.close();
            throw e;
        }
        return jedis;
    }

    /**
     * Takes the cluster's answer {@code e} to the last try and sets up the next one, pausing first if the slot is
     * being migrated.
     *
     * @return false when the call should fail with {@code e}: too many redirections, the command timeout spent on
     *     a migration, or the thread interrupted
     */
    boolean follow(JedisException e) {
        if (e instanceof JedisAskDataException ask) {
            // each ASK is followed at once; the one after a pause is a new start, so only ASKs in a row count
            if (++asks > MAX_REDIRECTS) {
                return false;
            }
            asked = ask.getTargetNode();
            return true;
        }
        boolean lostAsking = asked != null;
        asked = null;
        asks = 0;
        if (e instanceof JedisMovedDataException moved && !lostAsking) {
            if (++moves > MAX_REDIRECTS) {
                return false;
            }
            cluster.refresh();
            return true;
        }
        return pause();
    }

    /** Waits before the next try, or says the command timeout is spent (or the thread was interrupted). */
    private boolean pause() {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        long nanos = Math.min(pauseNanos, left);
        pauseNanos = Math.min(pauseNanos * 2, MAX_PAUSE.toNanos());
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            return true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
