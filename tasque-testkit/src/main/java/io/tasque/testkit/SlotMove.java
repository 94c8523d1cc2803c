package io.tasque.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One slot of a {@link RedisCluster} on its way from one master to another while the cluster serves traffic, done
 * the way {@code redis-cli --cluster reshard} does it, in three steps a test may also take one at a time:
 * <ol>
 *   <li>{@link RedisCluster#beginSlotMove}: {@code CLUSTER SETSLOT <slot> IMPORTING <source-id>} on the target,
 *       then {@code MIGRATING <target-id>} on the source. From here the source answers {@code -ASK} for a key it no
 *       longer has and {@code -TRYAGAIN} for a command over several keys of which it has only some;</li>
 *   <li>{@link #migrateBatch()}, repeated: {@code CLUSTER GETKEYSINSLOT} on the source, then {@code MIGRATE} of
 *       those keys to the target (without {@code REPLACE}: a key a client wrongly created on the target while the
 *       source still had it fails the move with {@code BUSYKEY});</li>
 *   <li>{@link #finish()}: {@code CLUSTER SETSLOT <slot> NODE <target-id>} on the target, the source and every other
 *       master, then waits until every running node names the target as the slot's master.</li>
 * </ol>
 * Small batches with a pause between them keep the slot half moved for a while, so clients meet {@code ASK} and
 * {@code TRYAGAIN}.
 */
public final class SlotMove {

    /** How long one {@code MIGRATE} may take before the source gives up on it. */
    private static final Duration MIGRATE_TIMEOUT = Duration.ofSeconds(5);

    private final RedisCluster cluster;
    private final int slot;
    private final RedisServer source;
    private final RedisServer target;
    private final String targetId;
    private int moved;
    private boolean finished;

    SlotMove(RedisCluster cluster, int slot, RedisServer source, RedisServer target) {
        if (source == target) {
            throw new IllegalArgumentException("slot " + slot + " is served by " + target + " already; pick another master");
        }
        this.cluster = cluster;
        this.slot = slot;
        this.source = source;
        this.target = target;
        String sourceId = source.command("CLUSTER", "MYID");
        this.targetId = target.command("CLUSTER", "MYID");
        target.command("CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING", sourceId);
        source.command("CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", targetId);
    }

    /** The slot being moved. */
    public int slot() {
        return slot;
    }

    /** The master the slot leaves. */
    public RedisServer source() {
        return source;
    }

    /** The master the slot goes to. */
    public RedisServer target() {
        return target;
    }

    /** Keys moved so far. */
    public int moved() {
        return moved;
    }

    /** The keys of the slot the source still holds, at most {@code count}. */
    public List<String> keysLeft(int count) {
        String reply = source.command("CLUSTER", "GETKEYSINSLOT", Integer.toString(slot), Integer.toString(count));
        List<String> keys = new ArrayList<>();
        if (reply != null && !reply.isEmpty()) {
            keys.addAll(List.of(reply.split("\n")));
        }
        return keys;
    }

    /**
     * Moves up to {@code batch} of the keys the source still holds to the target with one {@code MIGRATE}.
     *
     * @return how many keys it moved; 0 once the source holds none
     * @throws IllegalStateException if {@code MIGRATE} fails (a key already on the target: {@code BUSYKEY})
     */
    public int migrateBatch(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("a MIGRATE batch needs at least one key, got " + batch);
        }
        List<String> keys = keysLeft(batch);
        if (keys.isEmpty()) {
            return 0;
        }
        List<String> args = new ArrayList<>(List.of("MIGRATE", target.host(), Integer.toString(target.port()), "", "0",
                Long.toString(MIGRATE_TIMEOUT.toMillis()), "KEYS"));
        args.addAll(keys);
        source.command(args.toArray(new String[0]));
        moved += keys.size();
        return keys.size();
    }

    /** {@link #migrateBatch(int)} of one key. */
    public int migrateBatch() {
        return migrateBatch(1);
    }

    /**
     * Moves every key the source still holds, {@code batch} at a time with {@code pause} after each batch; keys
     * written to the source meanwhile are moved too.
     */
    public void migrateAll(int batch, Duration pause) {
        while (migrateBatch(batch) > 0) {
            if (!pause.isZero()) {
                Processes.pause(pause);
            }
        }
    }

    /**
     * Hands the slot to the target on the target, the source and every other master, and waits until every running
     * node says the target serves it and the cluster is ok.
     *
     * @throws IllegalStateException if the source still holds keys of the slot (call {@link #migrateAll} first)
     */
    public void finish() {
        if (finished) {
            return;
        }
        List<String> left = keysLeft(10);
        if (!left.isEmpty()) {
            throw new IllegalStateException("slot " + slot + " cannot be handed to " + target + ": " + source
                    + " still holds keys of it, such as " + left);
        }
        String s = Integer.toString(slot);
        target.command("CLUSTER", "SETSLOT", s, "NODE", targetId);
        source.command("CLUSTER", "SETSLOT", s, "NODE", targetId);
        for (RedisServer master : cluster.masters()) {
            if (master != source && master != target) {
                master.command("CLUSTER", "SETSLOT", s, "NODE", targetId);
            }
        }
        cluster.awaitOwner(slot, target);
        finished = true;
    }

    @Override
    public String toString() {
        return "slot " + slot + " from " + source + " to " + target + (finished ? " (done)" : " (" + moved + " keys moved)");
    }
}
