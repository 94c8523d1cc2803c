package io.tasque.broker.redis;

import io.tasque.broker.StoredJob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads jobs of one queue (partition) for lookups: the ids to list per state, and the reply of {@code lookup.lua}
 * turned into {@link StoredJob}s. A running job is the one with a lease, then a delayed, then a dead one, then a
 * ready one (its payload and no other entry); a job with a pending cancel (its run goes on) is cancelled; a job the
 * broker no longer holds is cancelled while its cancel record lasts, else succeeded while its done record lasts.
 */
final class StoredJobs {

    /** Values {@code lookup.lua} returns per id. */
    static final int WIDTH = 8;

    private StoredJobs() {
    }

    /** The keys of {@code lookup.lua}, in its KEYS order. */
    static List<byte[]> lookupKeys(Keys k) {
        return List.of(k.jobs, k.delayed, k.leased, k.dead, k.attempts, k.errors, k.unique, k.cancelled);
    }

    /** The jobs of a {@code lookup.lua} reply for {@code ids}, skipping those the broker holds nothing of. */
    static List<StoredJob> parse(String queue, List<String> ids, List<?> reply, long now) {
        List<StoredJob> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            StoredJob job = one(queue, ids.get(i), reply.subList(WIDTH * i, WIDTH * i + WIDTH), now);
            if (job != null) {
                out.add(job);
            }
        }
        return out;
    }

    private static StoredJob one(String queue, String id, List<?> v, long now) {
        byte[] payload = (byte[]) v.get(0);
        long unique = score(v.get(6));
        long cancel = score(v.get(7));
        if (payload == null) {
            if (cancel > 0) {
                return new StoredJob(queue, id, StoredJob.State.CANCELLED, 0, null, null, cancel);
            }
            return unique > now ? new StoredJob(queue, id, StoredJob.State.SUCCEEDED, 0, null, null, unique) : null;
        }
        int over = (int) score(v.get(4));
        String error = v.get(5) == null ? null : new String((byte[]) v.get(5), StandardCharsets.UTF_8);
        if (cancel < 0) {
            return new StoredJob(queue, id, StoredJob.State.CANCELLED, over + 1, payload, error, -cancel);
        }
        if (v.get(2) != null) {
            return new StoredJob(queue, id, StoredJob.State.RUNNING, over + 1, payload, error, score(v.get(2)));
        }
        if (v.get(1) != null) {
            return new StoredJob(queue, id, StoredJob.State.DELAYED, over, payload, error, score(v.get(1)));
        }
        if (v.get(3) != null) {
            return new StoredJob(queue, id, StoredJob.State.DEAD, over, payload, error, score(v.get(3)));
        }
        return new StoredJob(queue, id, StoredJob.State.READY, over, payload, error, 0);
    }

    /** A score or count as the script returns it (bulk string), 0 when absent. */
    private static long score(Object value) {
        if (value == null) {
            return 0;
        }
        String s = value instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII) : value.toString();
        return (long) Double.parseDouble(s);
    }
}
