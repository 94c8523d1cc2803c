package io.tasque.broker.disque;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/** Sends the Disque commands tasque uses on one connection and parses their replies into tasque's terms. */
final class JobCommands {

    private JobCommands() {
    }

    /** ADDJOB; returns the id Disque assigned (a status reply). */
    static String add(Jedis jedis, AddJob add) {
        return Replies.str(jedis.sendCommand(DisqueCommand.ADDJOB, add.args()));
    }

    static Response<Object> add(Pipeline pipeline, AddJob add) {
        return pipeline.sendCommand(DisqueCommand.ADDJOB, add.args());
    }

    /** ACKJOB or FASTACK; returns how many of the jobs this node knew and acknowledged. */
    static long ack(Jedis jedis, boolean fast, String... ids) {
        if (ids.length == 0) {
            return 0;
        }
        return Replies.num(jedis.sendCommand(fast ? DisqueCommand.FASTACK : DisqueCommand.ACKJOB, ids));
    }

    static Response<Object> ack(Pipeline pipeline, boolean fast, String id) {
        return pipeline.sendCommand(fast ? DisqueCommand.FASTACK : DisqueCommand.ACKJOB, id);
    }

    /** SHOW; null when this node does not know the job. */
    static JobInfo show(Jedis jedis, String id) {
        return JobInfo.parse(jedis.sendCommand(DisqueCommand.SHOW, id));
    }

    /** SHOW for every id in one round trip; null entries for jobs this node does not know. */
    static List<JobInfo> showAll(Jedis jedis, List<String> ids) {
        Pipeline p = jedis.pipelined();
        List<Response<Object>> replies = new ArrayList<>(ids.size());
        for (String id : ids) {
            replies.add(p.sendCommand(DisqueCommand.SHOW, id));
        }
        p.sync();
        List<JobInfo> out = new ArrayList<>(ids.size());
        for (Response<Object> r : replies) {
            out.add(JobInfo.parse(r.get()));
        }
        return out;
    }

    /** Every job of {@code queue} this node has a copy of, in any state, fully described (JSCAN BUSYLOOP REPLY all). */
    static List<JobInfo> scan(Jedis jedis, String queue) {
        List<JobInfo> out = new ArrayList<>();
        Object reply = jedis.sendCommand(DisqueCommand.JSCAN, "0", "BUSYLOOP", "QUEUE", queue, "REPLY", "all");
        for (Object job : Replies.list(Replies.list(reply).get(1))) {
            out.add(JobInfo.parse(job));
        }
        return out;
    }

    /** Names of every queue this node knows, empty ones included (QSCAN BUSYLOOP). */
    static List<String> queueNames(Jedis jedis) {
        List<String> out = new ArrayList<>();
        for (Object name : Replies.list(Replies.list(jedis.sendCommand(DisqueCommand.QSCAN, "0", "BUSYLOOP")).get(1))) {
            out.add(Replies.str(name));
        }
        return out;
    }

    static long qlen(Jedis jedis, String queue) {
        return Replies.num(jedis.sendCommand(DisqueCommand.QLEN, queue));
    }

    /** Ids of the {@code count} oldest queued jobs of {@code queue} on this node, without taking them (QPEEK). */
    static List<String> oldestIds(Jedis jedis, String queue, long count) {
        List<String> out = new ArrayList<>();
        for (FetchedJob job : FetchedJob.parseAll(jedis.sendCommand(DisqueCommand.QPEEK, queue, Long.toString(count)))) {
            out.add(job.id());
        }
        return out;
    }
}
