package io.tasque.broker.redis;

import io.tasque.broker.Scheduling;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.resps.Tuple;

/**
 * The schedules of a Redis broker ({@link Scheduling}), under one hash tag so every key is in one Cluster slot:
 *
 * <pre>
 * &lt;prefix&gt;:{schedules}:defs    HASH  schedule id -&gt; definition JSON
 * &lt;prefix&gt;:{schedules}:next    ZSET  schedule id -&gt; next fire time (epoch ms)
 * &lt;prefix&gt;:{schedules}:firing  ZSET  "&lt;schedule id&gt;|&lt;tick ms&gt;" -&gt; claim deadline (epoch ms)
 * &lt;prefix&gt;:{schedules}:last    HASH  schedule id -&gt; last fire time (epoch ms)
 * </pre>
 *
 * Every write is one script that checks the types of the keys it writes first; "due" is always judged by the
 * server's {@code TIME}.
 */
final class RedisSchedules implements Scheduling {

    private static final LuaScript PUT = LuaScript.load("schedule");
    private static final LuaScript REMOVE = LuaScript.load("unschedule");
    private static final LuaScript TICKS = LuaScript.load("ticks");
    private static final LuaScript CLAIM = LuaScript.load("claim-tick");
    private static final LuaScript RECLAIM = LuaScript.load("reclaim-tick");
    private static final LuaScript FIRED = LuaScript.load("tick-fired");

    private final byte[] defs;
    private final byte[] next;
    private final byte[] firing;
    private final byte[] last;
    private final int slot;
    private final PartitionTable.Calls once;
    private final PartitionTable.Calls repeatable;

    /**
     * {@code slot} is where the keys live ({@link RedisBroker#ANY_SLOT} on one server); {@code once} runs a call that
     * must not be repeated (a compare-and-set whose reply was lost), {@code repeatable} one that may.
     */
    RedisSchedules(String prefix, boolean cluster, PartitionTable.Calls once, PartitionTable.Calls repeatable) {
        String base = prefix + ":{schedules}:";
        this.defs = Keys.bytes(base + "defs");
        this.next = Keys.bytes(base + "next");
        this.firing = Keys.bytes(base + "firing");
        this.last = Keys.bytes(base + "last");
        this.slot = cluster ? ClusterSlots.slot(defs) : RedisBroker.ANY_SLOT;
        this.once = once;
        this.repeatable = repeatable;
    }

    @Override
    public long serverTimeMillis() {
        List<String> t = repeatable.call("TIME", slot, Jedis::time);
        return Long.parseLong(t.get(0)) * 1000 + Long.parseLong(t.get(1)) / 1000;
    }

    @Override
    public PutResult put(String id, String definition, long nextFireMillis) {
        Object r = repeatable.call("schedule", slot, jedis -> PUT.eval(jedis, List.of(defs, next),
                List.of(Keys.bytes(id), Keys.bytes(definition), num(nextFireMillis))));
        return switch (((Long) r).intValue()) {
            case 0 -> PutResult.UNCHANGED;
            case 1 -> PutResult.CREATED;
            default -> PutResult.REPLACED;
        };
    }

    @Override
    public boolean remove(String id) {
        Object r = once.call("unschedule", slot, jedis -> REMOVE.eval(jedis, List.of(defs, next, last), List.of(Keys.bytes(id))));
        return ((Long) r) == 1L;
    }

    @Override
    public List<Stored> schedules() {
        return repeatable.call("schedules", slot, jedis -> {
            Pipeline p = jedis.pipelined();
            Response<Map<byte[], byte[]>> d = p.hgetAll(defs);
            Response<List<Tuple>> n = p.zrangeWithScores(next, 0, -1);
            Response<Map<byte[], byte[]>> l = p.hgetAll(last);
            p.sync();
            Map<String, Long> nextById = new TreeMap<>();
            for (Tuple t : n.get()) {
                nextById.put(str(t.getBinaryElement()), (long) t.getScore());
            }
            Map<String, Long> lastById = new TreeMap<>();
            l.get().forEach((k, v) -> lastById.put(str(k), Long.parseLong(str(v))));
            Map<String, String> byId = new TreeMap<>();
            d.get().forEach((k, v) -> byId.put(str(k), str(v)));
            List<Stored> out = new ArrayList<>(byId.size());
            byId.forEach((id, def) -> out.add(new Stored(id, def, nextById.getOrDefault(id, -1L), lastById.getOrDefault(id, -1L))));
            return out;
        });
    }

    @Override
    public Due due(int max) {
        List<?> r = repeatable.call("schedule ticks", slot, jedis -> (List<?>) TICKS.eval(jedis, List.of(defs, next, firing),
                List.of(num(max), num(max))));
        int i = 0;
        long now = (Long) r.get(i++);
        long earliest = (Long) r.get(i++);
        long n = (Long) r.get(i++);
        List<Stored> due = new ArrayList<>();
        for (long k = 0; k < n; k++) {
            String id = str(r.get(i++));
            long at = Long.parseLong(str(r.get(i++)));
            due.add(new Stored(id, str(r.get(i++)), at, -1));
        }
        long m = (Long) r.get(i++);
        List<Overdue> overdue = new ArrayList<>();
        for (long k = 0; k < m; k++) {
            String member = str(r.get(i++));
            Object def = r.get(i++);
            int bar = member.lastIndexOf('|');
            overdue.add(new Overdue(member.substring(0, bar), Long.parseLong(member.substring(bar + 1)),
                    def == null ? null : str(def)));
        }
        return new Due(now, due, earliest, overdue, (Long) r.get(i));
    }

    @Override
    public boolean claim(String id, String definition, long expectedNextMillis, long tickMillis, long newNextMillis, long claimMillis) {
        Object r = once.call("claim schedule tick", slot, jedis -> CLAIM.eval(jedis, List.of(defs, next, firing),
                List.of(Keys.bytes(id), Keys.bytes(definition), num(expectedNextMillis), num(tickMillis),
                        num(newNextMillis), num(claimMillis))));
        return ((Long) r) == 1L;
    }

    @Override
    public boolean reclaim(String id, long tickMillis, long claimMillis) {
        Object r = once.call("reclaim schedule tick", slot, jedis -> RECLAIM.eval(jedis, List.of(firing),
                List.of(Keys.bytes(id), num(tickMillis), num(claimMillis))));
        return ((Long) r) == 1L;
    }

    @Override
    public boolean fired(String id, long tickMillis) {
        Object r = repeatable.call("schedule tick fired", slot, jedis -> FIRED.eval(jedis, List.of(firing, last, defs),
                List.of(Keys.bytes(id), num(tickMillis))));
        return ((Long) r) == 1L;
    }

    private static byte[] num(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    private static String str(Object bytes) {
        return new String((byte[]) bytes, StandardCharsets.UTF_8);
    }
}
