package io.tasque.broker.disque;

import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.DeadJob;
import io.tasque.broker.Delivery;
import io.tasque.broker.OutgoingJob;
import io.tasque.broker.QueueStats;
import io.tasque.broker.Reservation;
import io.tasque.codec.TaskCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The Disque broker: one Disque queue per task name ({@code __tasque__<name>}, as Go tasque), payloads in Go
 * tasque's JSON ({@link GoTasqueCodec}), Disque's job ids as tasque's job ids. Disque itself requeues a job whose
 * lease (its RETRY) ran out and queues delayed jobs when due; this broker adds attempt counting, retries with
 * backoff and a dead letter on top. It talks to one node of the cluster at a time ({@link DisqueNodes}), fetches
 * from another node when that node holds the jobs ({@link QueueScout}), and settles each delivery on the node that
 * handed it out ({@link DeliveryNodes}).
 *
 * <p>Command mapping: submit = ADDJOB; reserve = {@code GETJOB NOHANG … WITHCOUNTERS} then WORKING (so each
 * lease starts when the job is handed out); wait for work = a blocking GETJOB ({@link JobWaiter}); ack =
 * ACKJOB or FASTACK; extend = WORKING; release = NACK; retry = ADDJOB a copy carrying the run count with DELAY =
 * backoff, then ACKJOB the original; bury = ADDJOB into {@code __tasque_dead__<name>}, then ACKJOB the original.
 * Every call on a delivery is first checked against the job's SHOW ({@link LeaseFence}).
 */
public final class DisqueBroker implements Broker {

    private static final Logger log = LoggerFactory.getLogger(DisqueBroker.class);

    /**
     * Longest an idle wait blocks on one node of a cluster before the other nodes' queues are looked at again: jobs
     * queued elsewhere reach this worker within about this long (100 ms while jobs keep turning up elsewhere,
     * {@link QueueScout#lookAround}).
     */
    static final Duration LOOK_AROUND = Duration.ofMillis(500);

    private final String name;
    private final BrokerOptions options;
    private final DisqueOptions disque;
    private final DisqueNodes nodes;
    private final JobWaiter waiter;
    private final AddJobs adds;
    private final DeadLetters deadLetters;
    private final QueueCensus census;
    private final QueueScout scout;
    private final DeliveryNodes homes = new DeliveryNodes();
    private final AtomicInteger turn = new AtomicInteger();
    private final AtomicBoolean shortLeaseWarned = new AtomicBoolean();

    /** A Disque broker with {@link DisqueOptions#defaults()}. */
    public DisqueBroker(BrokerUri uri, BrokerOptions options) {
        this(uri, options, DisqueOptions.defaults());
    }

    /**
     * @throws IllegalArgumentException if the URI is not {@code disque://} or names a user (Disque's AUTH takes a
     *                                  password only)
     */
    public DisqueBroker(BrokerUri uri, BrokerOptions options, DisqueOptions disque) {
        if (!uri.scheme().equals("disque")) {
            throw new IllegalArgumentException("broker URI '" + uri + "' is not disque://; use disque://host:7711");
        }
        if (uri.user() != null) {
            throw new IllegalArgumentException("broker URI '" + uri + "' names user '" + uri.user()
                    + "', but Disque's AUTH takes a password only; use disque://:password@host:7711");
        }
        this.name = uri.toString();
        this.options = options;
        this.disque = disque;
        int commandMs = (int) options.commandTimeout().toMillis();
        JedisClientConfig pooled = clientConfig(uri, options, commandMs);
        JedisClientConfig blocking = clientConfig(uri, options, commandMs + (int) MAX_WAIT.toMillis());
        this.nodes = new DisqueNodes(name, uri.nodes(), pooled, options.poolSize(), options.commandTimeout(), disque.nodeRefresh());
        this.waiter = new JobWaiter(name, nodes, blocking);
        // Disque answers a replication timeout with an error; keep it below the socket timeout so that error arrives
        long replicationMs = Math.max(1, commandMs - Math.max(100, commandMs / 5));
        this.adds = new AddJobs(disque, replicationMs, options.clock(), nodes::size);
        this.deadLetters = new DeadLetters(name, nodes, adds, disque.fastAck());
        this.census = new QueueCensus(name, nodes, options.clock());
        this.scout = new QueueScout(nodes);
        log.debug("{}: Disque broker with {}", name, disque);
    }

    /**
     * Disque rejects {@code HELLO 2}/{@code HELLO 3} and has no CLIENT SETINFO: the protocol stays unset (RESP2,
     * no handshake) and client info is off.
     */
    private static JedisClientConfig clientConfig(BrokerUri uri, BrokerOptions options, int socketTimeoutMs) {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) options.connectTimeout().toMillis())
                .socketTimeoutMillis(socketTimeoutMs)
                .clientName("tasque")
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .autoNegotiateProtocol(false);
        if (uri.password() != null) {
            b.password(uri.password());
        }
        return b.build();
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public void ping() {
        nodes.call("PING", Jedis::ping);
    }

    /**
     * Any name Go tasque serves, within tasque's base rule ({@link Task#checkBaseName}: 1 to 128 characters, no
     * control characters): Disque's queue names are plain strings with no hash tags, so spaces and braces are fine.
     */
    @Override
    public void checkQueueName(String name) {
        Task.checkBaseName(name);
    }

    /** Go tasque's JSON, so Go and Java clients and workers share queues. */
    @Override
    public TaskCodec codec(int maxPayloadBytes) {
        return new GoTasqueCodec(maxPayloadBytes);
    }

    /** ADDJOB for each job, pipelined. Disque assigns the ids, so resubmitting a job makes a new one. */
    /**
     * Disque assigns every job its id (ADDJOB), so it cannot store a job under an id the caller chose, nor tell that
     * one is already there: such a job is refused before anything is sent.
     */
    static void refuseChosenIds(List<OutgoingJob> jobs) {
        for (OutgoingJob job : jobs) {
            if (job.chosenId()) {
                throw new IllegalArgumentException("task '" + job.queue() + "' has the id '" + job.id() + "' chosen by the"
                        + " caller, but Disque assigns every job its own id (ADDJOB), so it can neither store a job under"
                        + " that id nor keep the id unique; submit without Task.id(…) on Disque, or use a Redis broker;"
                        + " nothing was stored");
            }
        }
    }

    @Override
    public List<String> enqueue(List<OutgoingJob> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        refuseChosenIds(jobs);
        List<AddJob> batch = new ArrayList<>(jobs.size());
        for (OutgoingJob job : jobs) {
            batch.add(adds.submit(job));
        }
        return nodes.call("enqueue", jedis -> {
            if (batch.size() == 1) {
                return List.of(JobCommands.add(jedis, batch.get(0)));
            }
            Pipeline p = jedis.pipelined();
            List<Response<Object>> replies = new ArrayList<>(batch.size());
            for (AddJob add : batch) {
                replies.add(JobCommands.add(p, add));
            }
            p.sync();
            List<String> ids = new ArrayList<>(batch.size());
            JedisDataException refused = null;
            for (Response<Object> r : replies) {
                try {
                    ids.add(Replies.str(r.get()));
                } catch (JedisDataException e) {
                    refused = refused == null ? e : refused;
                }
            }
            if (refused != null) {
                throw new BrokerException(name, "enqueue stored " + ids.size() + " of " + batch.size()
                        + " jobs; Disque refused the rest: " + DisqueErrors.explain(refused), refused);
            }
            return ids;
        });
    }

    /**
     * Takes the jobs kept by {@link #awaitWork} first, then {@code GETJOB NOHANG} on the current node and, if that
     * comes back short, on the node the {@link QueueScout} saw holding the most jobs of these queues; WORKING starts
     * each lease. Every delivery remembers the node it came from ({@link DeliveryNodes}).
     */
    @Override
    public Reservation reserve(List<String> queues, int max, Duration lease) {
        if (queues.isEmpty() || max <= 0) {
            return Reservation.EMPTY;
        }
        List<String> wire = rotated(queues);
        Set<String> wanted = new LinkedHashSet<>(wire);
        List<Delivery> out = new ArrayList<>(takeKept(wanted, max, lease));
        try {
            int need = max - out.size();
            if (need > 0) {
                out.addAll(nodes.callSaying("reserve", (node, jedis) -> fetch(node, jedis, wire, need, lease)));
            }
        } catch (BrokerException e) {
            if (out.isEmpty()) {
                throw e;
            }
            log.debug("{}: reserve on the current node failed ({}); handing out the {} job(s) a wait kept", name,
                    e.getMessage(), out.size());
            return new Reservation(out, -1);
        }
        int need = max - out.size();
        if (need > 0) {
            DisqueNode elsewhere = scout.busiest(wanted, nodes.current());
            if (elsewhere != null) {
                try {
                    out.addAll(nodes.callOn(elsewhere, "reserve", jedis -> fetch(elsewhere, jedis, wire, need, lease)));
                } catch (BrokerException e) {
                    log.debug("{}: reserve on {} failed ({}); its jobs wait for the next try", name, elsewhere, e.getMessage());
                }
            }
        }
        return out.isEmpty() ? Reservation.EMPTY : new Reservation(out, -1);
    }

    /** The jobs a wait kept, leases started on the node each came from (a failed WORKING leaves the lease it has). */
    private List<Delivery> takeKept(Set<String> wanted, int max, Duration lease) {
        Map<DisqueNode, List<FetchedJob>> byNode = new LinkedHashMap<>();
        for (JobWaiter.Kept k : waiter.take(wanted, max)) {
            byNode.computeIfAbsent(k.node(), n -> new ArrayList<>()).add(k.job());
        }
        List<Delivery> out = new ArrayList<>();
        for (Map.Entry<DisqueNode, List<FetchedJob>> e : byNode.entrySet()) {
            try {
                nodes.callOn(e.getKey(), "start leases", jedis -> {
                    startLeases(jedis, e.getValue(), lease);
                    return null;
                });
            } catch (BrokerException failed) {
                log.debug("{}: could not start the leases of {} kept job(s) on {}: {}", name, e.getValue().size(),
                        e.getKey(), failed.getMessage());
            }
            out.addAll(delivered(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** {@code GETJOB NOHANG} of up to {@code count} jobs on {@code node}, then WORKING for each. */
    private List<Delivery> fetch(DisqueNode node, Jedis jedis, List<String> wire, int count, Duration lease) {
        List<String> args = new ArrayList<>(wire.size() + 6);
        args.addAll(List.of("NOHANG", "COUNT", Integer.toString(count), "WITHCOUNTERS", "FROM"));
        args.addAll(wire);
        List<FetchedJob> got = FetchedJob.parseAll(jedis.sendCommand(DisqueCommand.GETJOB, args.toArray(new String[0])));
        if (got.size() < count) {
            scout.drained(node);
        }
        if (got.isEmpty()) {
            return List.of();
        }
        startLeases(jedis, got, lease);
        return delivered(node, got);
    }

    private List<Delivery> delivered(DisqueNode node, List<FetchedJob> jobs) {
        List<Delivery> out = new ArrayList<>(jobs.size());
        for (FetchedJob job : jobs) {
            homes.fetched(node, job.id());
            out.add(delivery(job));
        }
        return out;
    }

    /** WORKING right after GETJOB: Disque times a lease from when the job was queued, not from its delivery. */
    private void startLeases(Jedis jedis, List<FetchedJob> jobs, Duration lease) {
        Pipeline p = jedis.pipelined();
        List<Response<Object>> replies = new ArrayList<>(jobs.size());
        for (FetchedJob job : jobs) {
            replies.add(p.sendCommand(DisqueCommand.WORKING, job.id()));
        }
        p.sync();
        for (int i = 0; i < replies.size(); i++) {
            try {
                long retry = Replies.num(replies.get(i).get());
                if (retry * 1000 < lease.toMillis() && shortLeaseWarned.compareAndSet(false, true)) {
                    log.warn("{}: job {} has a Disque lease (RETRY) of {} s, shorter than the worker's lease {}; a heartbeat"
                            + " may come too late and the job run twice. Submit with DisqueOptions.lease >= the worker lease",
                            name, jobs.get(i).id(), retry, lease);
                }
            } catch (JedisDataException e) {
                // TOOLATE (half its TTL has passed) or a job already gone: it runs on the lease it has left
                log.debug("{}: could not start the lease of job {}: {}", name, jobs.get(i).id(), e.getMessage());
            }
        }
    }

    private static Delivery delivery(FetchedJob job) {
        JobBody.Parts parts = JobBody.split(job.body());
        int expiries = parts.meta().leaseExpiries() + (int) job.additionalDeliveries();
        return new Delivery(QueueNames.taskOfLive(job.queue()), job.id(), attemptOf(parts.meta(), job.additionalDeliveries()),
                parts.payload(), expiries, 0, parts.meta().jobId(job.id()));
    }

    /**
     * The run a delivery is: runs of earlier copies (carried in the body) + requeues of this copy after a lease
     * ran out (Disque's additional-deliveries) + 1. NACKs, used only to hand a job back, do not count.
     */
    static int attemptOf(JobMeta meta, long additionalDeliveries) {
        return 1 + meta.attempts() + (int) additionalDeliveries;
    }

    /**
     * A blocking GETJOB on the current node, whose job is kept for the next {@link #reserve}. On a cluster the
     * GETJOB blocks at most {@link #LOOK_AROUND} (or less, {@link QueueScout#lookAround}) at a time, and before each the {@link QueueScout} looks at the other
     * nodes' queues: jobs queued elsewhere end the wait within about that long (the next reserve fetches them
     * there) instead of when Disque's federation moves them.
     */
    @Override
    public boolean awaitWork(List<String> queues, Duration timeout) {
        if (queues.isEmpty() || timeout.isNegative() || timeout.isZero()) {
            return false;
        }
        List<String> wire = rotated(queues);
        Set<String> wanted = new LinkedHashSet<>(wire);
        long deadline = System.nanoTime() + (timeout.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : timeout).toNanos();
        while (true) {
            if (waiter.holdsJobs() || scout.busiest(wanted, nodes.current()) != null) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            boolean cluster = nodes.all().size() > 1;
            Duration block = Duration.ofNanos(cluster ? Math.min(left, scout.lookAround(LOOK_AROUND).toNanos()) : left);
            JobWaiter.Woken woken = waiter.await(wire, block);
            if (woken != JobWaiter.Woken.TIMEOUT || !cluster) {
                return woken == JobWaiter.Woken.JOB;
            }
        }
    }

    @Override
    public void interruptWait() {
        waiter.interrupt();
    }

    @Override
    public boolean[] ack(List<Delivery> deliveries) {
        boolean[] acked = new boolean[deliveries.size()];
        onHomes(deliveries, "ack", (jedis, group) -> {
            List<JobInfo> shown = JobCommands.showAll(jedis, ids(deliveries, group));
            Pipeline p = jedis.pipelined();
            Map<Integer, Response<Object>> replies = new LinkedHashMap<>();
            for (int k = 0; k < group.size(); k++) {
                int i = group.get(k);
                if (LeaseFence.holds(deliveries.get(i), shown.get(k))) {
                    replies.put(i, JobCommands.ack(p, disque.fastAck(), deliveries.get(i).id()));
                }
            }
            p.sync();
            for (Map.Entry<Integer, Response<Object>> e : replies.entrySet()) {
                acked[e.getKey()] = Replies.num(e.getValue().get()) == 1L;
            }
            for (int i : group) {
                homes.settled(deliveries.get(i).id());
            }
        });
        return acked;
    }

    /**
     * ADDJOB a copy carrying the run count and error, with DELAY = the backoff in whole seconds rounded up, then
     * acknowledge the original. In that order: a crash in between leaves both (the job runs twice), never neither.
     */
    @Override
    public boolean retry(Delivery d, long dueAtMillis, String error) {
        return settle(d, "retry", jedis -> {
            JobInfo job = JobCommands.show(jedis, d.id());
            if (!LeaseFence.holds(d, job)) {
                return false;
            }
            JobBody.Parts parts = JobBody.split(job.body());
            JobMeta carried = new JobMeta(d.attempt(), parts.meta().leaseExpiries() + (int) job.additionalDeliveries(), error, 0,
                    parts.meta().jobId(d.id()));
            JobCommands.add(jedis, adds.retryCopy(d.queue(), JobBody.join(parts.payload(), carried), dueAtMillis, job.ttlSeconds()));
            JobCommands.ack(jedis, disque.fastAck(), d.id());
            return true;
        });
    }

    /** ADDJOB an entry into the task's dead-letter queue, acknowledge the original, trim the dead letter. */
    @Override
    public boolean bury(Delivery d, String reason) {
        return settle(d, "bury", jedis -> {
            JobInfo job = JobCommands.show(jedis, d.id());
            if (!LeaseFence.holds(d, job)) {
                return false;
            }
            JobBody.Parts parts = JobBody.split(job.body());
            JobMeta dead = new JobMeta(d.attempt(), parts.meta().leaseExpiries() + (int) job.additionalDeliveries(), reason,
                    options.clock().millis(), parts.meta().jobId(d.id()));
            JobCommands.add(jedis, adds.deadEntry(d.queue(), JobBody.join(parts.payload(), dead)));
            JobCommands.ack(jedis, disque.fastAck(), d.id());
            deadLetters.trim(jedis, d.queue(), options.maxDeadPerQueue());
            return true;
        });
    }

    /** NACK: back into its queue at its old place; Disque counts it as a NACK, which is not an attempt. */
    @Override
    public boolean release(Delivery d) {
        return settle(d, "release", jedis -> {
            if (!LeaseFence.holds(d, JobCommands.show(jedis, d.id()))) {
                return false;
            }
            return Replies.num(jedis.sendCommand(DisqueCommand.NACK, d.id())) == 1L;
        });
    }

    /** WORKING for each job still held: postpones its requeue by its RETRY (refused once half its TTL has passed). */
    @Override
    public boolean[] extend(List<Delivery> deliveries, Duration lease) {
        boolean[] held = new boolean[deliveries.size()];
        onHomes(deliveries, "extend", (jedis, group) -> {
            List<JobInfo> shown = JobCommands.showAll(jedis, ids(deliveries, group));
            Pipeline p = jedis.pipelined();
            Map<Integer, Response<Object>> replies = new HashMap<>();
            for (int k = 0; k < group.size(); k++) {
                int i = group.get(k);
                if (LeaseFence.holds(deliveries.get(i), shown.get(k))) {
                    replies.put(i, p.sendCommand(DisqueCommand.WORKING, deliveries.get(i).id()));
                }
            }
            p.sync();
            for (Map.Entry<Integer, Response<Object>> e : replies.entrySet()) {
                try {
                    e.getValue().get();
                    held[e.getKey()] = true;
                } catch (JedisDataException refused) {
                    log.debug("{}: WORKING refused for job {}: {}", name, deliveries.get(e.getKey()).id(), refused.getMessage());
                }
            }
        });
        return held;
    }

    /**
     * Runs {@code body} once per node the deliveries came from, with the indexes of that node's deliveries; a
     * delivery whose node is unknown or down goes to the current node. Every group is tried; the first failure is
     * thrown at the end.
     */
    private void onHomes(List<Delivery> deliveries, String what, BiConsumer<Jedis, List<Integer>> body) {
        Map<DisqueNode, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < deliveries.size(); i++) {
            groups.computeIfAbsent(home(deliveries.get(i)), n -> new ArrayList<>()).add(i);
        }
        BrokerException failed = null;
        for (Map.Entry<DisqueNode, List<Integer>> g : groups.entrySet()) {
            try {
                onHome(g.getKey(), what, jedis -> {
                    body.accept(jedis, g.getValue());
                    return null;
                });
            } catch (BrokerException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** Runs {@code body} on the node {@code d} came from; once it has run, the broker forgets that node. */
    private <T> T settle(Delivery d, String what, Function<Jedis, T> body) {
        T result = onHome(home(d), what, body);
        homes.settled(d.id());
        return result;
    }

    private <T> T onHome(DisqueNode home, String what, Function<Jedis, T> body) {
        return home == null ? nodes.call(what, body) : nodes.callOn(home, what, body);
    }

    /** The node {@code d} was fetched from, or null (use the current node) when unknown or down. */
    private DisqueNode home(Delivery d) {
        DisqueNode n = homes.of(d.id());
        return n != null && nodes.up(n) ? n : null;
    }

    @Override
    public List<String> queues() {
        return census.queues();
    }

    @Override
    public QueueStats stats(String queue) {
        return census.stats(queue);
    }

    @Override
    public List<DeadJob> deadJobs(String queue, int offset, int limit) {
        return deadLetters.list(queue, offset, limit);
    }

    /**
     * Disque cannot swap a job's body in place or check and add atomically: the revived job is a new Disque job
     * (so it gets a new id, returned here) added before the dead entry is acknowledged, the same two steps as a
     * revival without a new payload.
     */
    @Override
    public String retryDead(String queue, String id, byte[] payload) {
        return deadLetters.revive(queue, id, payload);
    }

    @Override
    public DeadJob deadJob(String queue, String id) {
        return deadLetters.find(queue, id);
    }

    @Override
    public boolean deleteDead(String queue, String id) {
        return deadLetters.delete(queue, id);
    }

    /**
     * Hands jobs kept by a wait that nobody reserved back with NACK (not counted as attempts), each to the node the
     * wait fetched it from, then disconnects.
     */
    @Override
    public void close() {
        for (Map.Entry<DisqueNode, List<FetchedJob>> left : waiter.close().entrySet()) {
            handBack(left.getKey(), left.getValue());
        }
        nodes.close();
    }

    /**
     * NACK on {@code node}, the node the wait fetched the jobs from (Disque's federation may have moved them there for
     * the wait), never on another one: it is the node sure to have them out, while another node may hold no copy,
     * answer 0 and leave them out until their lease expires, which costs an attempt.
     */
    private void handBack(DisqueNode node, List<FetchedJob> jobs) {
        String[] ids = jobs.stream().map(FetchedJob::id).toArray(String[]::new);
        try {
            long back = nodes.callOn(node, "hand back", jedis -> Replies.num(jedis.sendCommand(DisqueCommand.NACK, ids)));
            if (back < ids.length) {
                log.warn("{}: {} of {} job(s) fetched but not run were handed back to {}; the others were no longer out"
                        + " there (requeued after their lease, or acknowledged)", name, back, ids.length, node);
            }
        } catch (BrokerException e) {
            log.warn("{}: {} job(s) fetched but not run could not be handed back to {} ({}); they run again when their"
                    + " lease expires", name, ids.length, node, e.getMessage());
        }
    }

    /** The node this broker talks to now. */
    DisqueNode currentNode() {
        return nodes.current();
    }

    /** The cluster as this broker knows it. */
    DisqueNodes nodes() {
        return nodes;
    }

    /** Disque queue names of {@code tasks}, starting one further each call, since GETJOB serves queues left to right. */
    private List<String> rotated(List<String> tasks) {
        int start = Math.floorMod(turn.getAndIncrement(), tasks.size());
        List<String> wire = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            wire.add(QueueNames.live(tasks.get((start + i) % tasks.size())));
        }
        return wire;
    }

    private static List<String> ids(List<Delivery> deliveries, List<Integer> indexes) {
        List<String> ids = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            ids.add(deliveries.get(i).id());
        }
        return ids;
    }
}
