package io.tasque.broker.redis;

import io.tasque.Task;
import io.tasque.broker.BrokenQueue;
import io.tasque.broker.BrokenQueuesException;
import io.tasque.broker.Broker;
import io.tasque.broker.EnqueueNew;
import io.tasque.broker.AckingReserve;
import io.tasque.broker.Housekeeper;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.DeadJob;
import io.tasque.broker.JobTotals;
import io.tasque.broker.Delivery;
import io.tasque.broker.Housekeeping;
import io.tasque.broker.OutgoingJob;
import io.tasque.broker.Partitioning;
import io.tasque.broker.Sharding;
import io.tasque.broker.redis.ParallelWait.Woken;
import io.tasque.broker.QueueStats;
import io.tasque.broker.Reservation;
import io.tasque.broker.LimitedReserve;
import io.tasque.broker.QueueHold;
import io.tasque.broker.QueueLimit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol.Command;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.util.Pool;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.KeyValue;

/**
 * The Redis broker: jobs in per-queue lists, sorted sets and hashes (see {@link Keys}), moved only by the
 * Lua scripts beside this class, over a Jedis connection pool. Idle workers block on a per-queue wake list
 * on a connection of their own instead of polling.
 *
 * <p>On a Redis Cluster ({@code redis-cluster://}) each call goes to the master of its slot ({@link ClusterSlots}):
 * a call over several queues is made once per slot they hash to and the replies are merged, as a script, a
 * transaction and a BLPOP may only touch keys of one slot. On a single server none of that happens.
 *
 * <p>With {@code ?statsFrom=replica} (cluster and Sentinel only), {@link #stats} and {@link #queues} read from a
 * replica ({@link ReplicaReads}); every other call, {@link #deadJobs} included, runs on the master.
 */
public final class RedisBroker implements Broker, EnqueueNew, AckingReserve, LimitedReserve, Housekeeper, Partitioning, Sharding,
        io.tasque.broker.JobLookup, io.tasque.broker.JobCounters, io.tasque.broker.Cancelling, io.tasque.broker.Scheduling, io.tasque.broker.WorkerDirectory {

    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

    /** How long a cancelled job's record is kept, for {@link #job} to report it cancelled. */
    static final Duration CANCELLED_KEPT = Duration.ofHours(24);

    /** Most delayed jobs moved to ready per queue by one reserve or housekeeping call. */
    static final int MOVE_LIMIT = 1000;

    private static final LuaScript ENQUEUE = LuaScript.load("enqueue");
    private static final LuaScript RESERVE = LuaScript.load("reserve");
    private static final LuaScript ACK = LuaScript.load("ack");
    private static final LuaScript RETRY = LuaScript.load("retry");
    private static final LuaScript BURY = LuaScript.load("bury");
    private static final LuaScript RELEASE = LuaScript.load("release");
    private static final LuaScript EXTEND = LuaScript.load("extend");
    private static final LuaScript HOUSEKEEP = LuaScript.load("housekeep");
    private static final LuaScript REVIVE = LuaScript.load("revive");
    private static final LuaScript PURGE = LuaScript.load("purge");
    private static final LuaScript LOOKUP = LuaScript.load("lookup");
    private static final LuaScript CANCEL = LuaScript.load("cancel");
    /** Deadline bounds that count every lease but not the leased set's keeper member (score +inf, see reserve.lua). */
    private static final byte[] LEASE_MIN = Keys.bytes("-inf");
    private static final byte[] LEASE_MAX = Keys.bytes("(+inf");
    private static final byte[] ONE = num(1);
    private static final byte[] ZERO = num(0);
    /** The slot a call names when it runs on a single server, where slots play no part. */
    static final int ANY_SLOT = 0;
    /** On a cluster, how long one BLPOP waits on one slot's queues when a worker's queues span several slots. */
    static final Duration CLUSTER_WAIT_SLICE = Duration.ofMillis(250);

    private final String name;
    private final BrokerOptions options;
    /** Where the one server's master is now (it moves under Sentinel); null on a Redis Cluster. */
    private final Supplier<HostAndPort> address;
    private final JedisClientConfig blockingConfig;
    /** The one server's pool; null on a Redis Cluster. */
    private final Pool<Jedis> pool;
    /** The masters of a Redis Cluster by slot; null on a single server, which then does no slot work at all. */
    private final ClusterSlots cluster;
    /** Where {@link #stats} and {@link #queues} read with {@code ?statsFrom=replica}; null: from the master(s). */
    private final ReplicaReads replicaReads;
    private final Map<String, Keys> keys = new ConcurrentHashMap<>();
    /** The partition count of each queue, as stored on the server. */
    private final PartitionTable partitions;
    /** The schedules, in keys of their own ({@code {schedules}}); this broker's {@link io.tasque.broker.Scheduling} calls go there. */
    private final RedisSchedules schedules;
    /** Per queue, the turn of the partition its next jobs go to. */
    private final Map<String, AtomicInteger> spreadTurns = new ConcurrentHashMap<>();
    /** Partitions (stored names) whose master could not be connected to, until when (System.nanoTime). */
    private final Map<String, Long> partitionsDown = new ConcurrentHashMap<>();
    private final AtomicInteger turn = new AtomicInteger();
    private final Object waiterLock = new Object();
    private Jedis waiter;
    /** The server {@link #waiter} is connected to: on a cluster, the master of the slot it last waited on. */
    private HostAndPort waiterAddress;
    /** On a cluster, the idle wait connections to the other masters the worker's queues are on. */
    private final Map<HostAndPort, ParkedWaiter> parkedWaiters = new HashMap<>();
    private volatile boolean waitInterrupted;
    /** On a cluster, the wait over several slots at once; made at the first such wait, guarded by {@link #waiterLock}. */
    private ParallelWait parallelWait;
    /** True while {@link #parallelWait} waits: {@link #interruptWait()} then cuts it short. */
    private boolean waitingInParallel;
    /** On a cluster, the threads of {@link #clusterCalls()}; guarded by {@link #waiterLock}. */
    private ExecutorService clusterCalls;
    private volatile boolean blocking;
    private long waiterId;


    /** A broker for {@code uri} ({@code redis://}, {@code rediss://}, cluster and Sentinel forms); connects on first use. */
    public RedisBroker(BrokerUri uri, BrokerOptions options) {
        this(uri.toString(), options, clientConfig(uri, options), uri.nodes(), RedisBrokerProvider.cluster(uri),
                RedisBrokerProvider.statsFromReplica(uri, RedisBrokerProvider.cluster(uri)));
    }

    private RedisBroker(String name, BrokerOptions options, JedisClientConfig config, List<BrokerUri.Node> nodes,
                        boolean onCluster, boolean statsFromReplica) {
        this.name = name;
        this.options = options;
        this.blockingConfig = config;
        if (onCluster) {
            ConnectionPoolConfig perNode = new ConnectionPoolConfig();
            poolSettings(perNode, options);
            this.pool = null;
            this.address = null;
            this.cluster = new ClusterSlots(nodes, config, perNode);
            this.replicaReads = statsFromReplica ? new ClusterReplicas(name, cluster) : null;
        } else {
            HostAndPort server = new HostAndPort(nodes.get(0).host(), nodes.get(0).port());
            this.pool = new JedisPool(poolConfig(options), server, config);
            this.address = () -> server;
            this.cluster = null;
            this.replicaReads = null;
        }
        this.partitions = partitionTable();
        this.schedules = new RedisSchedules(options.keyPrefix(), cluster != null, this::call, this::callRepeatable);
    }

    /**
     * A broker on connections from {@code pool}, with its blocking wait on a connection of its own to
     * {@code master}, asked again before each wait (so a wait follows a promoted master); {@code replicaReads}, if
     * not null, is where {@link #stats} and {@link #queues} read, and is closed with the broker.
     */
    RedisBroker(String name, BrokerOptions options, JedisClientConfig config, Pool<Jedis> pool, Supplier<HostAndPort> master,
                ReplicaReads replicaReads) {
        this.name = name;
        this.options = options;
        this.blockingConfig = config;
        this.pool = pool;
        this.address = master;
        this.cluster = null;
        this.replicaReads = replicaReads;
        this.partitions = partitionTable();
        this.schedules = new RedisSchedules(options.keyPrefix(), cluster != null, this::call, this::callRepeatable);
    }

    /** {@code <prefix>:workers}, the hash of the {@link io.tasque.broker.WorkerDirectory}: worker id → its JSON entry. */
    private byte[] workersKey() {
        return Keys.bytes(options.keyPrefix() + ":workers");
    }

    /** The slot of {@link #workersKey()} on a cluster; any slot on one server. */
    private int workersSlot() {
        return cluster == null ? ANY_SLOT : ClusterSlots.slot(workersKey());
    }

    @Override
    public void beat(String id, String json) {
        callRepeatable("worker beat", workersSlot(), jedis -> jedis.hset(workersKey(), Keys.bytes(id), Keys.bytes(json)));
    }

    @Override
    public boolean removeWorker(String id) {
        return callRepeatable("worker remove", workersSlot(), jedis -> jedis.hdel(workersKey(), Keys.bytes(id))) > 0;
    }

    @Override
    public Map<String, String> listWorkers() {
        Map<byte[], byte[]> raw = callRepeatable("workers", workersSlot(), jedis -> jedis.hgetAll(workersKey()));
        Map<String, String> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(new String(k, StandardCharsets.UTF_8), new String(v, StandardCharsets.UTF_8)));
        return out;
    }

    private PartitionTable partitionTable() {
        byte[] tableKey = Keys.bytes(options.keyPrefix() + ":partitions");
        return new PartitionTable(options.keyPrefix(), cluster == null ? ANY_SLOT : ClusterSlots.slot(tableKey),
                this::callRepeatable, System::nanoTime);
    }

    /** The connection settings for {@code uri}'s servers: timeouts, database, credentials, TLS. */
    static JedisClientConfig clientConfig(BrokerUri uri, BrokerOptions options) {
        int commandMs = (int) options.commandTimeout().toMillis();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) options.connectTimeout().toMillis())
                .socketTimeoutMillis(commandMs)
                .blockingSocketTimeoutMillis(commandMs + (int) MAX_WAIT.toMillis())
                .database(uri.database())
                .ssl(RedisBrokerProvider.tls(uri))
                .clientName("tasque")
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .protocol(RedisProtocol.RESP2);
        if (uri.password() != null) {
            config.user(uri.user()).password(uri.password());
        }
        if (RedisBrokerProvider.tls(uri)) {
            TlsSockets tls = TlsSockets.of(uri, options);
            config.sslSocketFactory(tls).sslParameters(tls.parameters());
        }
        return config.build();
    }

    /** The one server's pool settings: {@link BrokerOptions#poolSize()} connections, waiting at most the command timeout. */
    static JedisPoolConfig poolConfig(BrokerOptions options) {
        JedisPoolConfig poolConfig = new JedisPoolConfig();
        poolSettings(poolConfig, options);
        return poolConfig;
    }

    /** The pool settings of the one server's pool, and of each master's pool on a cluster. */
    private static void poolSettings(GenericObjectPoolConfig<?> poolConfig, BrokerOptions options) {
        poolConfig.setMaxTotal(options.poolSize());
        poolConfig.setMaxIdle(options.poolSize());
        poolConfig.setMinIdle(0);
        poolConfig.setMaxWait(options.commandTimeout());
        poolConfig.setTestOnBorrow(false);
        poolConfig.setJmxEnabled(false);
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public void ping() {
        call("PING", ANY_SLOT, Jedis::ping);
    }

    /** {@link Sharding} only on a Redis Cluster: one server, or a Sentinel's master, is one shard. */
    @Override
    public <T extends io.tasque.broker.BrokerCapability> java.util.Optional<T> capability(Class<T> type) {
        if (type == Sharding.class && cluster == null) {
            return java.util.Optional.empty();
        }
        return Broker.super.capability(type);
    }

    /**
     * The master that serves the queue's slot now ({@code host:port}), or {@code slot N} while the slot map cannot be
     * read; a queue split into partitions spreads over several masters and is a shard of its own.
     */
    @Override
    public String shardOf(String queue) {
        if (cluster == null) {
            return "";
        }
        try {
            if (partitions.forStore("enqueue").entry(queue).k() > 1) {
                return "partitions of " + queue;
            }
        } catch (BrokerException e) {
            return "partitions table";
        }
        int slot = keys(queue).slot;
        try {
            return cluster.masterAddress(slot).toString();
        } catch (JedisException | IllegalStateException e) {
            return "slot " + slot;
        }
    }

    /** The rule of {@link Task#checkName}, and no {@code #<digits>} at the end: that is how partitions are named. */
    @Override
    public void checkQueueName(String name) {
        Task.checkName(name);
        if (PartitionTable.namesPartition(name)) {
            throw new IllegalArgumentException("task name '" + name + "' ends in '#' and a number, which names a"
                    + " partition of queue '" + PartitionTable.queueOf(name) + "' on Redis; use another suffix, as in '"
                    + PartitionTable.queueOf(name) + "-" + PartitionTable.partitionOf(name) + "'");
        }
    }

    @Override
    public int partitions(String queue) {
        return partitions.read(queue).k();
    }

    @Override
    public void partitions(String queue, int k) {
        checkQueueName(queue);
        Partitioning.checkCount(queue, k);
        int old = partitions.set(queue, k, now());
        if (old != k) {
            log.info("queue '{}' on {}: new jobs spread over {} partition(s) instead of {}", queue, name, k, old);
        }
    }

    @Override
    public List<String> enqueue(List<OutgoingJob> jobs) {
        return store(jobs, true);
    }

    /** Skips the lookup of ids already stored, except when it repeats the call after a lost reply. */
    @Override
    public List<String> enqueueNew(List<OutgoingJob> jobs) {
        return store(jobs, false);
    }

    private List<String> store(List<OutgoingJob> jobs, boolean idsMayBeStored) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        // the jobs of each queue (partition) and due time go together
        List<OutgoingJob> placed = spread(jobs);
        Collection<List<OutgoingJob>> groups = oneGroup(placed) ? List.of(placed) : groupByQueueAndDueTime(placed);
        if (cluster == null) {
            storeOn(ANY_SLOT, groups, idsMayBeStored);
        } else {
            storeBySlot(groups, idsMayBeStored);
        }
        List<String> ids = new ArrayList<>(jobs.size());
        for (OutgoingJob job : jobs) {
            ids.add(job.id());
        }
        return ids;
    }

    /** Most jobs of one queue in one call that all go to the same partition; a larger call is cut in K runs. */
    static final int SPREAD_RUN = 64;

    /**
     * The jobs with each one's queue replaced by the partition it is stored in, for queues split into partitions: a
     * call's jobs of one queue go to the queue's next partition in turn, or, past {@link #SPREAD_RUN} of them, in K
     * runs to K partitions in a row. The jobs themselves when no queue is split.
     */
    private List<OutgoingJob> spread(List<OutgoingJob> jobs) {
        PartitionTable.Snapshot table = partitions.forStore("enqueue");
        if (!table.anySplit()) {
            return jobs;
        }
        Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
        for (int i = 0; i < jobs.size(); i++) {
            byQueue.computeIfAbsent(jobs.get(i).queue(), q -> new ArrayList<>()).add(i);
        }
        OutgoingJob[] out = jobs.toArray(new OutgoingJob[0]);
        for (Map.Entry<String, List<Integer>> e : byQueue.entrySet()) {
            int k = table.entry(e.getKey()).k();
            if (k == 1) {
                continue;
            }
            List<Integer> at = e.getValue();
            int runs = at.size() <= SPREAD_RUN ? 1 : k;
            int first = spreadTurns.computeIfAbsent(e.getKey(), q -> new AtomicInteger()).getAndAdd(runs);
            for (int n = 0; n < at.size(); n++) {
                OutgoingJob job = out[at.get(n)];
                // a caller-chosen id always goes to the same partition, where its uniqueness is kept
                int p = job.chosenId() ? chosenPartition(job.id(), k)
                        : up(e.getKey(), Math.floorMod(first + (int) ((long) n * runs / at.size()), k), k);
                out[at.get(n)] = job.toQueue(PartitionTable.partition(job.queue(), p));
            }
        }
        return List.of(out);
    }

    /**
     * The partition of a queue split in {@code k} that holds the job with caller-chosen id {@code id}: the id's
     * {@link String#hashCode()} (the same in every JVM) modulo k. Changing k moves ids to other partitions, so an id
     * submitted before and after a change may be stored twice.
     */
    static int chosenPartition(String id, int k) {
        return Math.floorMod(id.hashCode(), k);
    }

    /** Partition {@code p} of {@code queue}, or the next one not marked unreachable; {@code p} if all are marked. */
    private int up(String queue, int p, int k) {
        if (partitionsDown.isEmpty()) {
            return p;
        }
        long now = System.nanoTime();
        for (int step = 0; step < k; step++) {
            int candidate = (p + step) % k;
            Long until = partitionsDown.get(PartitionTable.partition(queue, candidate));
            if (until == null) {
                return candidate;
            }
            if (now - until >= 0) {
                partitionsDown.remove(PartitionTable.partition(queue, candidate), until);
                return candidate;
            }
        }
        return p;
    }

    /** The queues to fetch from for {@code queues}: each one's partitions that may hold jobs. */
    private List<String> fetchedPartitions(String what, List<String> queues) {
        PartitionTable.Snapshot table = partitions.forFetch(what);
        if (!table.anySplit()) {
            return queues;
        }
        List<String> out = new ArrayList<>(queues.size());
        for (String q : queues) {
            int high = table.entry(q).high();
            for (int p = 0; p < high; p++) {
                out.add(PartitionTable.partition(q, p));
            }
        }
        return out;
    }

    /** The queue (partition) a delivery is stored in. */
    private static String storedIn(Delivery d) {
        return PartitionTable.partition(d.queue(), d.partition());
    }

    /** Stores the groups in one call (one transaction, or one pipeline of scripts) on the server of {@code slot}. */
    private void storeOn(int slot, Collection<List<OutgoingJob>> groups, boolean idsMayBeStored) {
        boolean[] repeated = {false};
        callRepeatable("enqueue", slot, jedis -> {
            // a repeat may follow a call that was stored but whose reply was lost: then skip what it stored
            if (idsMayBeStored || repeated[0]) {
                storeSkippingStoredIds(jedis, groups);
            } else {
                repeated[0] = true;
                storeNew(jedis, groups);
            }
            awaitReplicas(jedis, "enqueue");
            return null;
        });
    }

    /**
     * On a cluster: one call per slot, each on that slot's master. A slot whose queues hold bad data does not stop
     * the other slots; the exception at the end names every broken queue. A slot whose master cannot be connected to
     * has the jobs of split queues stored in their other partitions ({@link #storeInOtherPartitions}). Any other
     * failure stops at its slot.
     */
    private void storeBySlot(Collection<List<OutgoingJob>> groups, boolean idsMayBeStored) {
        Map<Integer, List<List<OutgoingJob>>> bySlot = new LinkedHashMap<>();
        for (List<OutgoingJob> group : groups) {
            bySlot.computeIfAbsent(keys(group.get(0).queue()).slot, s -> new ArrayList<>()).add(group);
        }
        BrokenQueuesException first = null;
        List<BrokenQueue> broken = new ArrayList<>();
        for (Map.Entry<Integer, List<List<OutgoingJob>>> e : bySlot.entrySet()) {
            try {
                storeOn(e.getKey(), e.getValue(), idsMayBeStored);
            } catch (BrokenQueuesException b) {
                first = first == null ? b : first;
                broken.addAll(b.queues());
            } catch (BrokerException down) {
                if (!storeInOtherPartitions(e.getValue(), down)) {
                    throw down;
                }
            }
        }
        if (first != null) {
            throw bySlot.size() == 1 ? first : new BrokenQueuesException(name, "enqueue failed: nothing was stored for "
                    + broken + " (the jobs of any other queue in the same call were stored)", broken, first);
        }
    }

    /** How long a partition whose master could not be connected to gets no new jobs before it is tried again. */
    static final Duration PARTITION_DOWN_FOR = Duration.ofSeconds(5);

    /**
     * The groups of one slot whose master could not be connected to (so the call was never sent), when each is of a
     * queue split into partitions: each group goes to the queue's next partitions in turn until one takes it, and the
     * partition gets no new jobs for {@link #PARTITION_DOWN_FOR}. A failure after the connection was made (the
     * call may have been stored) or a timeout is not rerouted: false, and the caller throws {@code down}.
     */
    private boolean storeInOtherPartitions(List<List<OutgoingJob>> groups, BrokerException down) {
        if (down.kind() != BrokerException.Kind.UNREACHABLE || !connectFailed(down)) {
            return false;
        }
        PartitionTable.Snapshot table = partitions.forStore("enqueue");
        for (List<OutgoingJob> group : groups) {
            if (table.entry(PartitionTable.queueOf(group.get(0).queue())).k() < 2) {
                return false;
            }
            // a caller-chosen id is unique only in its own partition: it waits for that one
            if (group.stream().anyMatch(OutgoingJob::chosenId)) {
                return false;
            }
        }
        for (List<OutgoingJob> group : groups) {
            String failed = group.get(0).queue();
            String queue = PartitionTable.queueOf(failed);
            int k = table.entry(queue).k();
            int from = PartitionTable.partitionOf(failed);
            if (partitionsDown.put(failed, System.nanoTime() + PARTITION_DOWN_FOR.toNanos()) == null) {
                log.warn("queue '{}' on {}: partition {} cannot be reached ({}); its new jobs go to the other partitions"
                        + " for now", queue, name, from, down.getMessage());
            }
            BrokerException last = down;
            boolean stored = false;
            for (int step = 1; step < k && !stored; step++) {
                String other = PartitionTable.partition(queue, (from + step) % k);
                List<OutgoingJob> moved = new ArrayList<>(group.size());
                for (OutgoingJob job : group) {
                    moved.add(job.toQueue(other));
                }
                try {
                    storeOn(keys(other).slot, List.of(moved), true);
                    stored = true;
                } catch (BrokerException e) {
                    if (e.kind() != BrokerException.Kind.UNREACHABLE || !connectFailed(e)) {
                        throw e;
                    }
                    partitionsDown.putIfAbsent(other, System.nanoTime() + PARTITION_DOWN_FOR.toNanos());
                    last = e;
                }
            }
            if (!stored) {
                throw last;
            }
        }
        return true;
    }

    /**
     * True if the failure was in making a connection (refused, or no answer to it): nothing was sent. Jedis keeps
     * the socket's exception as a suppressed one of its own ("Failed to connect to …"), so both are looked at.
     */
    private static boolean connectFailed(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (connectFailure(c)) {
                return true;
            }
            for (Throwable s : c.getSuppressed()) {
                if (connectFailure(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean connectFailure(Throwable t) {
        return t instanceof java.net.ConnectException || t instanceof java.net.NoRouteToHostException
                || (t instanceof java.net.SocketTimeoutException && String.valueOf(t.getMessage()).toLowerCase().contains("connect"));
    }

    /** True when every job has the first one's queue and due time (a submitAll), so no grouping is needed. */
    private static boolean oneGroup(List<OutgoingJob> jobs) {
        OutgoingJob first = jobs.get(0);
        for (OutgoingJob job : jobs) {
            if (job.dueAtMillis() != first.dueAtMillis() || !job.queue().equals(first.queue())) {
                return false;
            }
        }
        return true;
    }

    private static Collection<List<OutgoingJob>> groupByQueueAndDueTime(List<OutgoingJob> jobs) {
        Map<String, List<OutgoingJob>> groups = new LinkedHashMap<>();
        for (OutgoingJob job : jobs) {
            groups.computeIfAbsent(job.queue() + '\n' + job.dueAtMillis(), g -> new ArrayList<>()).add(job);
        }
        return groups.values();
    }

    /**
     * Stores jobs whose ids were just made, so none can be stored yet: one MULTI/EXEC with a variadic HSET of
     * the payloads, an RPUSH (or ZADD) of the ids and a wake token per group. No script: handing a thousand
     * arguments through Lua cost Redis 1.6–2.5 µs per job, the plain commands about 1.0 µs. The commands go out
     * on the connection as they are, without a Jedis Transaction: that object and the command builders it makes
     * for every call were half of what a single submit allocated. EXEC is sent only once Redis has queued every
     * command (a second round trip, as with a Transaction): a submit that times out while Redis is frozen has then
     * stored nothing, unless the freeze began between the two.
     */
    private void storeNew(Jedis jedis, Collection<List<OutgoingJob>> groups) {
        Connection c = jedis.getConnection();
        c.sendCommand(Command.MULTI);
        for (List<OutgoingJob> group : groups) {
            Keys k = keys(group.get(0).queue());
            long due = group.get(0).dueAtMillis();
            byte[][] payloads = new byte[1 + 2 * group.size()][];
            byte[][] ids = new byte[1 + (due > 0 ? 2 : 1) * group.size()][];
            payloads[0] = k.jobs;
            ids[0] = due > 0 ? k.delayed : k.ready;
            byte[] score = due > 0 ? num(due) : null;
            int n = 1;
            for (int i = 0; i < group.size(); i++) {
                OutgoingJob job = group.get(i);
                byte[] id = Keys.bytes(job.id());
                payloads[1 + 2 * i] = id;
                payloads[2 + 2 * i] = job.payload();
                if (score != null) {
                    ids[n++] = score;
                }
                ids[n++] = id;
            }
            c.sendCommand(Command.HSET, payloads);
            c.sendCommand(due > 0 ? Command.ZADD : Command.RPUSH, ids);
            // at most one token: a delayed job wakes a worker too, so an idle one learns the new earliest due time
            c.sendCommand(Command.LPUSH, k.wake, ONE);
            c.sendCommand(Command.LTRIM, k.wake, ZERO, ZERO);
        }
        // MULTI's OK, then QUEUED for each command, or the error of one Redis refused to queue (a missing ACL
        // permission: "NOPERM … 'rpush'"), after which EXEC only says the transaction was discarded
        List<Object> queued = c.getMany(1 + 4 * groups.size());
        c.sendCommand(Command.EXEC);
        List<Object> replies;
        try {
            replies = execReplies(c.getOne());
        } catch (JedisDataException aborted) {
            JedisDataException refused = firstError(queued);
            throw refused != null ? refused : aborted;
        }
        JedisDataException failed = null;
        List<BrokenQueue> broken = new ArrayList<>();
        int g = 0;
        for (List<OutgoingJob> group : groups) {
            JedisDataException e = firstError(replies.subList(4 * g, 4 * g + 4));
            if (e != null) {
                undoStore(jedis, group, replies.subList(4 * g, 4 * g + 2));
                failed = failed == null ? e : failed;
                String queue = group.get(0).queue();
                if (broken.stream().noneMatch(b -> b.queue().equals(queue))) {
                    broken.add(new BrokenQueue(queue, "", String.valueOf(e.getMessage())));
                }
            }
            g++;
        }
        if (failed != null) {
            // the other queues' jobs of this call are stored: the exception says which queues were not
            throw new BrokenQueuesException(name, "enqueue failed: " + describe(failed) + "; nothing was stored for "
                    + broken + " (the jobs of any other queue in the same call were stored)", broken, failed);
        }
    }

    /** EXEC's reply, a list with one reply per queued command; null (a WATCH failed) cannot happen without a WATCH. */
    @SuppressWarnings("unchecked")
    private static List<Object> execReplies(Object exec) {
        if (!(exec instanceof List<?>)) {
            throw new JedisDataException("EXEC answered " + exec + " instead of the replies of the queued commands");
        }
        return (List<Object>) exec;
    }

    private static JedisDataException firstError(List<Object> replies) {
        for (Object reply : replies) {
            if (reply instanceof JedisDataException e) {
                return e;
            }
        }
        return null;
    }

    /**
     * A transaction does not stop at a failed command (a wrong-typed key), so a group whose payloads or ids
     * could not all be stored has what did get stored removed again: no payload without an id, no id without
     * a payload is left behind by a store that failed.
     */
    private void undoStore(Jedis jedis, List<OutgoingJob> group, List<Object> storeReplies) {
        Keys k = keys(group.get(0).queue());
        byte[][] ids = new byte[group.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Keys.bytes(group.get(i).id());
        }
        Pipeline p = jedis.pipelined();
        if (!(storeReplies.get(0) instanceof JedisDataException)) {
            p.hdel(k.jobs, ids);
        }
        if (!(storeReplies.get(1) instanceof JedisDataException)) {
            if (group.get(0).dueAtMillis() > 0) {
                p.zrem(k.delayed, ids);
            } else {
                for (byte[] id : ids) {
                    p.lrem(k.ready, -1, id);
                }
            }
        }
        p.sync();
    }

    /** Stores jobs whose ids may be stored already (a repeat, or ids the caller chose): enqueue.lua skips those. */
    private void storeSkippingStoredIds(Jedis jedis, Collection<List<OutgoingJob>> groups) {
        if (groups.size() == 1) {
            List<OutgoingJob> group = groups.iterator().next();
            ENQUEUE.eval(jedis, enqueueKeys(keys(group.get(0).queue())), enqueueArgs(group));
            return;
        }
        try {
            pipelinedEnqueue(jedis, groups);
        } catch (JedisNoScriptException e) {
            jedis.scriptLoad(ENQUEUE.source);
            pipelinedEnqueue(jedis, groups);
        }
    }

    private void pipelinedEnqueue(Jedis jedis, Collection<List<OutgoingJob>> groups) {
        Pipeline p = jedis.pipelined();
        List<Response<Object>> replies = new ArrayList<>();
        for (List<OutgoingJob> group : groups) {
            replies.add(p.evalsha(ENQUEUE.sha, enqueueKeys(keys(group.get(0).queue())), enqueueArgs(group)));
        }
        p.sync();
        for (Response<Object> r : replies) {
            r.get();
        }
    }

    private static List<byte[]> enqueueKeys(Keys k) {
        return List.of(k.jobs, k.ready, k.delayed, k.wake, k.unique, k.cancelled);
    }

    /** The jobs of one queue and due time, as enqueue.lua takes them. */
    private List<byte[]> enqueueArgs(List<OutgoingJob> group) {
        List<byte[]> args = new ArrayList<>(2 + group.size() * 3);
        args.add(num(group.get(0).dueAtMillis()));
        args.add(num(now()));
        for (OutgoingJob job : group) {
            args.add(Keys.bytes(job.id()));
            args.add(job.payload());
            args.add(num(job.uniqueForMillis()));
        }
        return args;
    }

    @Override
    public Reservation reserve(List<String> queues, int max, Duration lease) {
        return reserve(queues, max, lease, List.of());
    }

    @Override
    public Reservation reserve(List<String> queues, int max, Duration lease, List<Delivery> acks) {
        return reserve(queues, max, lease, acks, List.of());
    }

    @Override
    public Reservation reserve(List<String> queues, int max, Duration lease, List<Delivery> acks, List<QueueLimit> limits) {
        if (queues.isEmpty() && acks.isEmpty()) {
            return new Reservation(List.of(), -1);
        }
        Map<String, QueueLimit> byQueue = new HashMap<>();
        for (QueueLimit l : limits) {
            byQueue.put(l.queue(), l);
        }
        List<String> fetched = fetchedPartitions("reserve", queues);
        return cluster == null ? reserveOn(ANY_SLOT, fetched, max, lease, acks, byQueue) : reserveBySlot(fetched, max, lease, acks, byQueue);
    }

    /**
     * On a cluster: one reserve.lua call per slot the queues and acks touch, each on that slot's master, the slots
     * taking turns at going first; each call leases what the ones before it left of {@code max}, and a slot
     * reached with nothing left to lease is called only if it has acks. If one slot fails, the jobs already leased
     * from the others are handed back (released) and the error is thrown; acks already applied there answer
     * "lease not held" when the caller sends them again.
     */
    private Reservation reserveBySlot(List<String> queues, int max, Duration lease, List<Delivery> acks, Map<String, QueueLimit> limits) {
        Map<Integer, SlotShare> bySlot = new LinkedHashMap<>();
        for (String q : queues) {
            bySlot.computeIfAbsent(keys(q).slot, s -> new SlotShare()).queues.add(q);
        }
        for (int i = 0; i < acks.size(); i++) {
            bySlot.computeIfAbsent(keys(storedIn(acks.get(i))).slot, s -> new SlotShare()).acks.add(i);
        }
        List<SlotShare> shares = new ArrayList<>(bySlot.values());
        int start = Math.floorMod(turn.getAndIncrement(), shares.size());
        Gathered got = new Gathered(acks.size(), Math.max(0, max));
        // the first slot leases, and the others' acks go out meanwhile, each on its own master
        List<CompletableFuture<Reservation>> ackOnly = new ArrayList<>();
        List<SlotShare> ackOnlyShares = new ArrayList<>();
        for (int n = 1; n < shares.size(); n++) {
            SlotShare share = shares.get((start + n) % shares.size());
            if (!share.acks.isEmpty()) {
                List<Delivery> slotAcks = share.acksOf(acks);
                ackOnlyShares.add(share);
                ackOnly.add(CompletableFuture.supplyAsync(() -> reserveOn(keys(storedIn(slotAcks.get(0))).slot, List.of(), 0,
                        lease, slotAcks, limits), clusterCalls()));
                share.acksSent = true;
            }
        }
        BrokerException failed = null;
        try {
            SlotShare first = shares.get(start);
            got.add(first, reserveShare(first, got.left, lease, acks, true, limits));
        } catch (BrokerException e) {
            failed = e;
        }
        for (int i = 0; i < ackOnly.size(); i++) {
            try {
                got.add(ackOnlyShares.get(i), ackOnly.get(i).join());
            } catch (CompletionException e) {
                BrokerException cause = e.getCause() instanceof BrokerException b ? b : failure("reserve", new JedisException(e.getCause()));
                if (failed == null) {
                    failed = cause;
                } else {
                    failed.addSuppressed(cause);
                }
            }
        }
        // what the first slot left of max, from the others in turn
        for (int n = 1; n < shares.size() && got.left > 0 && failed == null; n++) {
            SlotShare share = shares.get((start + n) % shares.size());
            if (share.queues.isEmpty()) {
                continue;
            }
            try {
                got.add(share, reserveShare(share, got.left, lease, acks, !share.acksSent, limits));
            } catch (BrokerException e) {
                failed = e;
            }
        }
        if (failed != null) {
            for (Delivery d : got.leased) {
                try {
                    release(d);
                } catch (BrokerException notReleased) {
                    failed.addSuppressed(notReleased); // it runs again after its lease expires
                }
            }
            throw failed;
        }
        return new Reservation(got.leased, got.nextDue, got.acked, got.broken, got.holds);
    }

    /** One slot's reserve.lua call: leasing up to {@code max} from its queues, with its acks when {@code withAcks}. */
    private Reservation reserveShare(SlotShare share, int max, Duration lease, List<Delivery> acks, boolean withAcks,
            Map<String, QueueLimit> limits) {
        List<Delivery> slotAcks = withAcks ? share.acksOf(acks) : List.of();
        if (share.queues.isEmpty() && slotAcks.isEmpty()) {
            return new Reservation(List.of(), -1);
        }
        String any = share.queues.isEmpty() ? storedIn(slotAcks.get(0)) : share.queues.get(0);
        return reserveOn(keys(any).slot, max == 0 ? List.of() : share.queues, max, lease, slotAcks, limits);
    }

    /** The merged replies of a reserve over several slots. */
    private static final class Gathered {
        final List<Delivery> leased = new ArrayList<>();
        final boolean[] acked;
        final List<BrokenQueue> broken = new ArrayList<>();
        final List<QueueHold> holds = new ArrayList<>();
        long nextDue = -1;
        int left;

        Gathered(int acks, int max) {
            this.acked = new boolean[acks];
            this.left = max;
        }

        void add(SlotShare share, Reservation r) {
            leased.addAll(r.deliveries());
            left -= r.deliveries().size();
            if (r.nextDueMillis() >= 0 && (nextDue < 0 || r.nextDueMillis() < nextDue)) {
                nextDue = r.nextDueMillis();
            }
            if (r.acked().length == share.acks.size()) {
                for (int j = 0; j < share.acks.size(); j++) {
                    acked[share.acks.get(j)] = r.acked()[j];
                }
            }
            broken.addAll(r.broken());
            holds.addAll(r.holds());
        }
    }

    /** Threads for the calls of one reserve that go to other masters at the same time; made on first use. */
    private ExecutorService clusterCalls() {
        synchronized (waiterLock) {
            if (clusterCalls == null) {
                AtomicInteger n = new AtomicInteger();
                clusterCalls = Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "tasque-cluster-call-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
            }
            return clusterCalls;
        }
    }

    /** The queues of one slot to lease from, and the indexes of the acks into that slot. */
    private static final class SlotShare {
        final List<String> queues = new ArrayList<>();
        final List<Integer> acks = new ArrayList<>();
        /** True once this slot's acks went out (in a call of their own); a later lease call then leaves them out. */
        boolean acksSent;

        List<Delivery> acksOf(List<Delivery> all) {
            List<Delivery> out = new ArrayList<>(acks.size());
            for (int i : acks) {
                out.add(all.get(i));
            }
            return out;
        }
    }

    /**
     * One reserve.lua call; on a cluster every queue and ack must be in {@code slot}. {@code limits} are by queue (task
     * name): each partition of a split queue is limited as the queue, its cap and rate counted per partition.
     */
    private Reservation reserveOn(int slot, List<String> queues, int max, Duration lease, List<Delivery> acks,
            Map<String, QueueLimit> limits) {
        // the queues to lease from, then those that only take acks (left out of leasing by the caller)
        List<String> all = new ArrayList<>(queues);
        Map<String, Integer> index = new HashMap<>();
        for (String q : queues) {
            index.put(q, index.size());
        }
        for (Delivery d : acks) {
            String stored = storedIn(d);
            if (!index.containsKey(stored)) {
                index.put(stored, index.size());
                all.add(stored);
            }
        }
        List<byte[]> k = new ArrayList<>(all.size() * 10);
        for (String q : all) {
            keys(q).addReserveKeys(k);
        }
        List<List<Integer>> acksByQueue = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            acksByQueue.add(new ArrayList<>());
        }
        for (int i = 0; i < acks.size(); i++) {
            acksByQueue.get(index.get(storedIn(acks.get(i)))).add(i);
        }
        int start = queues.isEmpty() ? 0 : Math.floorMod(turn.getAndIncrement(), queues.size());
        List<byte[]> args = new ArrayList<>(6 + all.size() + 2 * acks.size());
        args.add(num(now()));
        args.add(num(lease.toMillis()));
        args.add(num(Math.max(0, max)));
        args.add(num(MOVE_LIMIT));
        args.add(num(start));
        args.add(num(queues.size()));
        int limitAt = args.size();
        args.add(num(0));
        int limited = 0;
        if (!limits.isEmpty()) {
            for (int j = 0; j < queues.size(); j++) {
                QueueLimit l = limits.get(PartitionTable.queueOf(queues.get(j)));
                if (l != null) {
                    args.add(num(j));
                    args.add(num(l.rateIntervalMicros()));
                    args.add(Keys.bytes(l.rateParam() == null ? "" : l.rateParam()));
                    args.add(num(l.maxRunning()));
                    args.add(num(l.quota()));
                    limited++;
                }
            }
            args.set(limitAt, num(limited));
        }
        List<Integer> ackOrder = new ArrayList<>(acks.size());
        for (List<Integer> group : acksByQueue) {
            args.add(num(group.size()));
            for (int i : group) {
                args.add(Keys.bytes(acks.get(i).id()));
                args.add(num(acks.get(i).attempt()));
                ackOrder.add(i);
            }
        }
        List<?> reply = (List<?>) call("reserve", slot, jedis -> {
            Object r = RESERVE.eval(jedis, k, args);
            if (!acks.isEmpty()) {
                awaitReplicas(jedis, "ack");
            }
            return r;
        });
        long nextDue = (Long) reply.get(0);
        int ackCount = ((Long) reply.get(1)).intValue();
        boolean[] acked = new boolean[acks.size()];
        for (int j = 0; j < ackCount; j++) {
            acked[ackOrder.get(j)] = ((Long) reply.get(2 + j)) == 1L;
        }
        int jobCount = ((Long) reply.get(2 + ackCount)).intValue();
        int first = 3 + ackCount;
        List<Delivery> out = new ArrayList<>(jobCount);
        for (int i = first; i < first + 5 * jobCount; i += 5) {
            String stored = queues.get(((Long) reply.get(i)).intValue());
            String id = str(reply.get(i + 1));
            int attempt = ((Long) reply.get(i + 2)).intValue();
            byte[] payload = (byte[]) reply.get(i + 3);
            int expiries = ((Long) reply.get(i + 4)).intValue();
            out.add(new Delivery(PartitionTable.queueOf(stored), id, attempt, payload, expiries, PartitionTable.partitionOf(stored)));
        }
        int holdsAt = first + 5 * jobCount;
        int holdCount = ((Long) reply.get(holdsAt)).intValue();
        List<QueueHold> holds = holdCount == 0 ? List.of() : new ArrayList<>(holdCount);
        for (int i = holdsAt + 1; i < holdsAt + 1 + 2 * holdCount; i += 2) {
            holds.add(new QueueHold(PartitionTable.queueOf(queues.get(((Long) reply.get(i)).intValue())), (Long) reply.get(i + 1)));
        }
        return new Reservation(out, nextDue, acked, brokenQueues(all, reply, holdsAt + 1 + 2 * holdCount), holds);
    }

    /**
     * The broken queues a script reported from {@code from} on: triples of queue index, key and error text. A broken
     * partition is reported as its queue, with the partition's key.
     */
    private static List<BrokenQueue> brokenQueues(List<String> queues, List<?> reply, int from) {
        if (from >= reply.size()) {
            return List.of();
        }
        List<BrokenQueue> broken = new ArrayList<>();
        for (int i = from; i + 2 < reply.size(); i += 3) {
            String stored = queues.get(((Long) reply.get(i)).intValue());
            broken.add(new BrokenQueue(PartitionTable.queueOf(stored), str(reply.get(i + 1)), str(reply.get(i + 2))));
        }
        return broken;
    }

    @Override
    public boolean awaitWork(List<String> logicalQueues, Duration timeout) {
        if (logicalQueues.isEmpty() || timeout.isNegative() || timeout.isZero()) {
            return false;
        }
        List<String> queues = fetchedPartitions("wait for work", logicalQueues);
        Duration block = timeout.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : timeout;
        if (cluster == null) {
            return awaitWork(ANY_SLOT, queues, block) == Woken.BY_WORK;
        }
        Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
        for (String q : queues) {
            bySlot.computeIfAbsent(keys(q).slot, s -> new ArrayList<>()).add(q);
        }
        if (bySlot.size() == 1) {
            return awaitWork(bySlot.keySet().iterator().next(), queues, block) == Woken.BY_WORK;
        }
        if (bySlot.size() <= ParallelWait.MAX_SLOTS) {
            return awaitWorkOnEverySlot(bySlot, block);
        }
        return awaitWorkInTurns(new ArrayList<>(bySlot.entrySet()), block);
    }

    /** On a cluster, for queues in several slots: one BLPOP per slot at the same time ({@link ParallelWait}). */
    private boolean awaitWorkOnEverySlot(Map<Integer, List<String>> bySlot, Duration block) {
        ParallelWait waits;
        synchronized (waiterLock) {
            if (waitInterrupted) {
                waitInterrupted = false;
                return false;
            }
            if (parallelWait == null) {
                parallelWait = new ParallelWait(cluster::masterAddress, cluster::node, blockingConfig);
            }
            waits = parallelWait;
            waits.prepare();
            waitingInParallel = true;
        }
        try {
            return waits.await(new ArrayList<>(bySlot.keySet()),
                    (slot, line) -> awaitWork(slot, bySlot.get(slot), block, line)) == Woken.BY_WORK;
        } finally {
            synchronized (waiterLock) {
                waitingInParallel = false;
            }
        }
    }

    /**
     * On a cluster, for queues in several slots: one BLPOP cannot span slots, so this blocks on one slot's wake
     * lists at a time, {@link #CLUSTER_WAIT_SLICE} each, the slots taking turns until {@code block} is over. An idle
     * worker then sends one BLPOP per slice, and work arriving in another slot waits at most (slots - 1) slices.
     */
    private boolean awaitWorkInTurns(List<Map.Entry<Integer, List<String>>> slots, Duration block) {
        long deadline = System.nanoTime() + block.toNanos();
        int at = Math.floorMod(turn.getAndIncrement(), slots.size());
        while (true) {
            long left = deadline - System.nanoTime();
            if (left < Duration.ofMillis(1).toNanos()) {
                return false;
            }
            Duration slice = Duration.ofNanos(Math.min(left, CLUSTER_WAIT_SLICE.toNanos()));
            Map.Entry<Integer, List<String>> slot = slots.get(at);
            Woken woken = awaitWork(slot.getKey(), slot.getValue(), slice);
            if (woken != Woken.TIMED_OUT) {
                return woken == Woken.BY_WORK;
            }
            at = (at + 1) % slots.size();
        }
    }

    /** A wait connection to a master not waited on just now, with its client id. */
    private record ParkedWaiter(Jedis jedis, long id) {
    }

    /** Blocks on the wake lists of {@code queues}, all in {@code slot} on a cluster, for at most {@code block}. */
    private Woken awaitWork(int slot, List<String> queues, Duration block) {
        return awaitWork(slot, queues, block, (wakeKeys, timeout) -> block(slot, wakeKeys, timeout));
    }

    /** As above, blocking through {@code blocker}: the broker's own wait connection, or one of a {@link ParallelWait}. */
    private Woken awaitWork(int slot, List<String> queues, Duration block, ParallelWait.Blocker blocker) {
        byte[][] wakeKeys = new byte[queues.size()][];
        for (int i = 0; i < wakeKeys.length; i++) {
            wakeKeys[i] = keys(queues.get(i)).wake;
        }
        try {
            return blocker.block(wakeKeys, block);
        } catch (JedisAskDataException migrating) {
            // the slot is being migrated: taken as woken, so the caller reserves again and follows the migration there
            return Woken.BY_WORK;
        } catch (JedisRedirectionException | JedisConnectionException stale) {
            // the wait connection may predate a server restart, or its master may have handed the slot to another
            // (a failover, a finished migration): one more try on a new connection to the slot's master now
            dropConnections();
            if (cluster != null && stale instanceof JedisMovedDataException moved) {
                cluster.refresh(moved.getTargetNode());
            }
            if (timedOut(stale)) {
                throw failure("wait for work", stale);
            }
            try {
                return blocker.block(wakeKeys, block);
            } catch (JedisDataException e) {
                if (SlotRoute.isMigrating(e)) {
                    return Woken.BY_WORK;
                }
                throw brokenWake(slot, queues, wakeKeys, e);
            } catch (JedisException e) {
                dropConnections();
                throw failure("wait for work", e);
            }
        } catch (JedisDataException e) {
            if (SlotRoute.isTryAgain(e)) {
                return Woken.BY_WORK; // wake lists split by a slot migration: as for an ASK
            }
            throw brokenWake(slot, queues, wakeKeys, e);
        } catch (JedisException e) {
            throw failure("wait for work", e);
        }
    }

    /** A wait that failed on data: names the wake keys that are not lists, so the caller can leave their queues out. */
    private BrokerException brokenWake(int slot, List<String> queues, byte[][] wakeKeys, JedisDataException e) {
        if (e instanceof JedisRedirectionException) {
            // the slot moved (a failover): the next wait asks the new master
            dropConnections();
            return failure("wait for work", e);
        }
        if (kindOf(e) != BrokerException.Kind.DATA) {
            return failure("wait for work", e);
        }
        List<BrokenQueue> broken = new ArrayList<>();
        try (Jedis jedis = connection(slot)) {
            for (int i = 0; i < wakeKeys.length; i++) {
                String type = jedis.type(wakeKeys[i]);
                if (!"list".equals(type) && !"none".equals(type)) {
                    String key = str(wakeKeys[i]);
                    broken.add(new BrokenQueue(PartitionTable.queueOf(queues.get(i)), key, "WRONGTYPE " + key + " holds a " + type + ", not a list"));
                }
            }
        } catch (JedisException lookupFailed) {
            e.addSuppressed(lookupFailed);
        }
        if (broken.isEmpty()) {
            return failure("wait for work", e);
        }
        return new BrokenQueuesException(name, "wait for work failed: " + describe(e), broken, e);
    }

    private Woken block(int slot, byte[][] wakeKeys, Duration block) {
        Jedis jedis;
        synchronized (waiterLock) {
            if (waitInterrupted) {
                waitInterrupted = false;
                return Woken.INTERRUPTED;
            }
            try {
                HostAndPort node = cluster == null ? address.get() : cluster.masterAddress(slot);
                if (waiter != null && !node.equals(waiterAddress)) {
                    if (cluster != null) {
                        // the slot waited on is served by another master than the last one: keep this master's
                        // wait connection for its next turn
                        parkedWaiters.put(waiterAddress, new ParkedWaiter(waiter, waiterId));
                    } else {
                        // the master moved (a failover) while the old one still answers: wait where jobs now arrive
                        closeQuietly(waiter);
                    }
                    waiter = null;
                }
                if (waiter == null) {
                    ParkedWaiter parked = parkedWaiters.remove(node);
                    waiter = parked != null ? parked.jedis() : new Jedis(node, blockingConfig);
                    waiterAddress = node;
                    waiterId = parked != null ? parked.id() : waiter.clientId();
                }
            } catch (JedisException e) {
                closeQuietly(waiter);
                waiter = null;
                throw e;
            }
            jedis = waiter;
            blocking = true;
        }
        try {
            KeyValue<byte[], byte[]> got = jedis.blpop(Math.max(0.001, block.toMillis() / 1000.0), wakeKeys);
            synchronized (waiterLock) {
                if (waitInterrupted) {
                    waitInterrupted = false;
                    return Woken.INTERRUPTED;
                }
            }
            return got != null ? Woken.BY_WORK : Woken.TIMED_OUT;
        } catch (JedisException e) {
            synchronized (waiterLock) {
                closeQuietly(waiter);
                waiter = null;
            }
            throw e;
        } finally {
            blocking = false;
        }
    }

    /**
     * Unblocks the waiting connection with {@code CLIENT UNBLOCK}. The waiter may be between its check and
     * its BLPOP, so this repeats for a short while until the BLPOP was actually cut short or has ended.
     */
    @Override
    public void interruptWait() {
        long id;
        HostAndPort node;
        ParallelWait waits;
        synchronized (waiterLock) {
            waits = waitingInParallel ? parallelWait : null;
            waitInterrupted = waits == null;
            id = waiterId;
            node = waiterAddress;
        }
        if (waits != null) {
            waits.cutShort();
            return;
        }
        ClientUnblock.until(() -> cluster == null ? pool.getResource() : cluster.node(node), id, () -> blocking);
    }

    @Override
    public boolean[] ack(List<Delivery> deliveries) {
        boolean[] acked = new boolean[deliveries.size()];
        if (deliveries.isEmpty()) {
            return acked;
        }
        Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
        for (int i = 0; i < deliveries.size(); i++) {
            byQueue.computeIfAbsent(storedIn(deliveries.get(i)), q -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<Integer, Map<String, List<Integer>>> slot : bySlot(byQueue).entrySet()) {
            ackOn(slot.getKey(), slot.getValue(), deliveries, acked);
        }
        return acked;
    }

    /** Acks the deliveries of {@code byQueue} (indexes into {@code deliveries}) in one call, noting each in {@code acked}. */
    private void ackOn(int slot, Map<String, List<Integer>> byQueue, List<Delivery> deliveries, boolean[] acked) {
        call("ack", slot, jedis -> {
            for (Map.Entry<String, List<Integer>> e : byQueue.entrySet()) {
                Keys k = keys(e.getKey());
                List<byte[]> args = new ArrayList<>(1 + e.getValue().size() * 2);
                args.add(num(now()));
                for (int i : e.getValue()) {
                    args.add(Keys.bytes(deliveries.get(i).id()));
                    args.add(num(deliveries.get(i).attempt()));
                }
                List<?> reply = (List<?>) ACK.eval(jedis, k.ackKeys(), args);
                for (int j = 0; j < reply.size(); j++) {
                    acked[e.getValue().get(j)] = ((Long) reply.get(j)) == 1L;
                }
            }
            awaitReplicas(jedis, "ack");
            return null;
        });
    }

    /**
     * The queues of {@code byQueue} grouped by slot, one entry per slot, for a cluster; on a single server, the
     * same map as the only entry, so nothing is regrouped there.
     */
    private Map<Integer, Map<String, List<Integer>>> bySlot(Map<String, List<Integer>> byQueue) {
        if (cluster == null) {
            return Map.of(ANY_SLOT, byQueue);
        }
        Map<Integer, Map<String, List<Integer>>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> e : byQueue.entrySet()) {
            out.computeIfAbsent(keys(e.getKey()).slot, s -> new LinkedHashMap<>()).put(e.getKey(), e.getValue());
        }
        return out;
    }

    @Override
    public boolean retry(Delivery d, long dueAtMillis, String error) {
        Keys k = keys(storedIn(d));
        Object r = call("retry", k.slot, jedis -> RETRY.eval(jedis, k.retryKeys(),
                List.of(Keys.bytes(d.id()), num(d.attempt()), num(dueAtMillis), Keys.bytes(error))));
        return ((Long) r) == 1L;
    }

    @Override
    public boolean bury(Delivery d, String reason) {
        Keys k = keys(storedIn(d));
        Object r = call("bury", k.slot, jedis -> BURY.eval(jedis, k.buryKeys(),
                List.of(Keys.bytes(d.id()), num(d.attempt()), num(now()), Keys.bytes(reason), num(options.maxDeadPerQueue()))));
        return ((Long) r) == 1L;
    }

    @Override
    public boolean release(Delivery d) {
        Keys k = keys(storedIn(d));
        Object r = call("release", k.slot, jedis -> RELEASE.eval(jedis, k.releaseKeys(),
                List.of(Keys.bytes(d.id()), num(d.attempt()))));
        return ((Long) r) == 1L;
    }

    @Override
    public boolean[] extend(List<Delivery> deliveries, Duration lease) {
        boolean[] held = new boolean[deliveries.size()];
        if (deliveries.isEmpty()) {
            return held;
        }
        Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
        for (int i = 0; i < deliveries.size(); i++) {
            byQueue.computeIfAbsent(storedIn(deliveries.get(i)), q -> new ArrayList<>()).add(i);
        }
        byte[] deadline = num(now() + lease.toMillis());
        for (Map.Entry<Integer, Map<String, List<Integer>>> slot : bySlot(byQueue).entrySet()) {
            extendOn(slot.getKey(), slot.getValue(), deliveries, deadline, held);
        }
        return held;
    }

    /** Extends the leases of {@code byQueue}'s deliveries to {@code deadline} in one call, noting each in {@code held}. */
    private void extendOn(int slot, Map<String, List<Integer>> byQueue, List<Delivery> deliveries, byte[] deadline, boolean[] held) {
        callRepeatable("extend", slot, jedis -> {
            for (Map.Entry<String, List<Integer>> e : byQueue.entrySet()) {
                Keys k = keys(e.getKey());
                List<byte[]> args = new ArrayList<>(1 + e.getValue().size() * 2);
                args.add(deadline);
                for (int i : e.getValue()) {
                    args.add(Keys.bytes(deliveries.get(i).id()));
                    args.add(num(deliveries.get(i).attempt()));
                }
                List<?> reply = (List<?>) EXTEND.eval(jedis, List.of(k.leased, k.attempts), args);
                for (int j = 0; j < reply.size(); j++) {
                    held[e.getValue().get(j)] = ((Long) reply.get(j)) == 1L;
                }
            }
            return null;
        });
    }

    @Override
    public Housekeeping housekeep(List<String> logicalQueues) {
        if (logicalQueues.isEmpty()) {
            return new Housekeeping(0, 0);
        }
        dropDrainedPartitions(logicalQueues);
        List<String> queues = fetchedPartitions("housekeep", logicalQueues);
        if (cluster == null) {
            return housekeepOn(ANY_SLOT, queues);
        }
        Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
        for (String q : queues) {
            bySlot.computeIfAbsent(keys(q).slot, s -> new ArrayList<>()).add(q);
        }
        long promoted = 0;
        long reclaimed = 0;
        List<BrokenQueue> broken = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> e : bySlot.entrySet()) {
            Housekeeping h = housekeepOn(e.getKey(), e.getValue());
            promoted += h.promoted();
            reclaimed += h.reclaimed();
            broken.addAll(h.broken());
        }
        return new Housekeeping(promoted, reclaimed, broken);
    }

    /**
     * For each queue whose K was lowered more than {@link PartitionTable#SHRINK_GRACE} ago: if its partitions above K
     * hold nothing (no payload, no ready, delayed or dead job), they are no longer fetched from.
     */
    private void dropDrainedPartitions(List<String> queues) {
        PartitionTable.Snapshot table = partitions.forFetch("housekeep");
        if (!table.anySplit()) {
            return;
        }
        for (String q : queues) {
            if (!PartitionTable.shrinkable(table.entry(q), now())) {
                continue;
            }
            PartitionTable.Entry seen = partitions.read(q);
            if (!PartitionTable.shrinkable(seen, now())) {
                continue;
            }
            boolean empty = true;
            for (int p = seen.k(); p < seen.high() && empty; p++) {
                Keys k = keys(PartitionTable.partition(q, p));
                empty = callRepeatable("housekeep", k.slot, jedis -> jedis.exists(k.jobs, k.ready, k.delayed, k.dead)) == 0L;
            }
            if (empty) {
                partitions.shrink(q, seen);
            }
        }
    }

    /** One housekeep.lua call over {@code queues}, all in {@code slot} on a cluster. */
    private Housekeeping housekeepOn(int slot, List<String> queues) {
        List<byte[]> k = new ArrayList<>(queues.size() * 10);
        for (String q : queues) {
            keys(q).addHousekeepKeys(k);
        }
        List<?> r = (List<?>) callRepeatable("housekeep", slot, jedis -> HOUSEKEEP.eval(jedis, k,
                List.of(num(now()), num(MOVE_LIMIT), num(CANCELLED_KEPT.toMillis()))));
        return new Housekeeping((Long) r.get(0), (Long) r.get(1), brokenQueues(queues, r, 2));
    }

    @Override
    public List<String> queues() {
        if (replicaReads != null) {
            List<TreeSet<String>> perShard = replicaReads.readEachShard(this::queuesOn,
                    slot -> callRepeatable("queues", slot, this::queuesOn));
            if (perShard != null) {
                TreeSet<String> names = new TreeSet<>();
                perShard.forEach(names::addAll);
                return List.copyOf(names);
            }
        }
        if (cluster == null) {
            return List.copyOf(callRepeatable("queues", ANY_SLOT, this::queuesOn));
        }
        // every master holds the queues of its slots
        TreeSet<String> names = new TreeSet<>();
        try {
            for (ConnectionPool master : cluster.masters()) {
                try (Jedis jedis = new Jedis(master.getResource())) {
                    names.addAll(queuesOn(jedis));
                }
            }
        } catch (JedisConnectionException e) {
            dropConnections();
            throw failure("queues", e);
        } catch (JedisException e) {
            throw failure("queues", e);
        }
        return List.copyOf(names);
    }

    /** The queues with keys on the server {@code jedis} is connected to, by SCAN. */
    private TreeSet<String> queuesOn(Jedis jedis) {
        TreeSet<String> names = new TreeSet<>();
        ScanParams params = new ScanParams().match(Keys.jobsPattern(options.keyPrefix())).count(500);
        byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
        do {
            ScanResult<byte[]> page = jedis.scan(cursor, params);
            for (byte[] key : page.getResult()) {
                String q = Keys.queueOf(options.keyPrefix(), str(key));
                if (q != null) {
                    names.add(PartitionTable.queueOf(q));
                }
            }
            cursor = page.getCursorAsBytes();
        } while (!"0".equals(str(cursor)));
        return names;
    }

    /** The counts of every partition of {@code queue} that may hold jobs, added up. */
    @Override
    public QueueStats stats(String queue) {
        List<String> stored = fetchedPartitions("stats", List.of(queue));
        QueueStats sum = statsOf(queue, stored.get(0));
        for (int i = 1; i < stored.size(); i++) {
            QueueStats s = statsOf(queue, stored.get(i));
            sum = new QueueStats(queue, sum.ready() + s.ready(), sum.delayed() + s.delayed(), sum.inFlight() + s.inFlight(),
                    sum.dead() + s.dead());
        }
        return sum;
    }

    private QueueStats statsOf(String queue, String stored) {
        Keys k = keys(stored);
        Function<Jedis, QueueStats> read = jedis -> {
            Pipeline p = jedis.pipelined();
            Response<Long> ready = p.llen(k.ready);
            Response<Long> delayed = p.zcard(k.delayed);
            Response<Long> leased = p.zcount(k.leased, LEASE_MIN, LEASE_MAX);
            Response<Long> dead = p.zcard(k.dead);
            p.sync();
            return new QueueStats(queue, ready.get(), delayed.get(), leased.get(), dead.get());
        };
        return replicaReads == null ? callRepeatable("stats", k.slot, read)
                : replicaReads.read(k.slot, read, () -> callRepeatable("stats", k.slot, read));
    }

    @Override
    public JobTotals totals(String queue) {
        long completed = 0;
        long failed = 0;
        for (String stored : fetchedPartitions("totals", List.of(queue))) {
            Keys k = keys(stored);
            Function<Jedis, List<byte[]>> read = jedis -> jedis.hmget(k.counters, COMPLETED, FAILED);
            List<byte[]> got = replicaReads == null ? callRepeatable("totals", k.slot, read)
                    : replicaReads.read(k.slot, read, () -> callRepeatable("totals", k.slot, read));
            completed += counter(got.get(0));
            failed += counter(got.get(1));
        }
        return new JobTotals(queue, completed, failed);
    }

    private static final byte[] COMPLETED = Keys.bytes("completed");
    private static final byte[] FAILED = Keys.bytes("failed");

    private static long counter(byte[] value) {
        return value == null ? 0 : Long.parseLong(new String(value, StandardCharsets.US_ASCII));
    }

    @Override
    public List<DeadJob> deadJobs(String queue, int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must be >= 0, were " + offset + " and " + limit);
        }
        if (limit == 0) {
            return List.of();
        }
        List<String> stored = fetchedPartitions("deadJobs", List.of(queue));
        if (stored.size() == 1) {
            return deadJobsOf(queue, queue, offset, limit);
        }
        // oldest first across the partitions: the first offset + limit of each, merged by time of death
        List<DeadJob> all = new ArrayList<>();
        for (String s : stored) {
            all.addAll(deadJobsOf(queue, s, 0, (int) Math.min(Integer.MAX_VALUE, (long) offset + limit)));
        }
        all.sort(java.util.Comparator.comparing(DeadJob::diedAt));
        return all.size() <= offset ? List.of() : List.copyOf(all.subList(offset, Math.min(all.size(), offset + limit)));
    }

    private List<DeadJob> deadJobsOf(String queue, String stored, int offset, int limit) {
        Keys k = keys(stored);
        return callRepeatable("deadJobs", k.slot, jedis -> {
            List<redis.clients.jedis.resps.Tuple> entries = jedis.zrangeWithScores(k.dead, offset, offset + limit - 1L);
            if (entries.isEmpty()) {
                return List.<DeadJob>of();
            }
            Pipeline p = jedis.pipelined();
            Map<Integer, Response<byte[]>> payloads = new HashMap<>();
            Map<Integer, Response<byte[]>> errors = new HashMap<>();
            Map<Integer, Response<byte[]>> attempts = new HashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                byte[] id = entries.get(i).getBinaryElement();
                payloads.put(i, p.hget(k.jobs, id));
                errors.put(i, p.hget(k.errors, id));
                attempts.put(i, p.hget(k.attempts, id));
            }
            p.sync();
            List<DeadJob> out = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                byte[] a = attempts.get(i).get();
                byte[] err = errors.get(i).get();
                out.add(new DeadJob(queue, str(entries.get(i).getBinaryElement()), payloads.get(i).get(),
                        a == null ? 0 : Integer.parseInt(str(a)), err == null ? null : str(err),
                        Instant.ofEpochMilli((long) entries.get(i).getScore())));
            }
            return out;
        });
    }

    /** Revives the job in the partition it died in. */
    @Override
    public String retryDead(String queue, String id, byte[] payload) {
        for (String stored : fetchedPartitions("retryDead", List.of(queue))) {
            String revived = retryDeadIn(stored, id, payload);
            if (revived != null) {
                return revived;
            }
        }
        return null;
    }

    private String retryDeadIn(String queue, String id, byte[] payload) {
        Keys k = keys(queue);
        Object r = call("retryDead", k.slot, jedis -> REVIVE.eval(jedis, List.of(k.dead, k.ready, k.attempts, k.expired, k.jobs, k.wake, k.errors),
                List.of(Keys.bytes(id), payload == null ? new byte[0] : payload)));
        if ((Long) r == -1L) {
            throw new IllegalStateException("dead job " + PartitionTable.queueOf(queue) + "/" + id
                    + " has no payload, so it cannot run again; delete it");
        }
        return (Long) r == 1L ? id : null;
    }

    @Override
    public DeadJob deadJob(String queue, String id) {
        for (String stored : fetchedPartitions("deadJob", List.of(queue))) {
            DeadJob dead = deadJobIn(queue, stored, id);
            if (dead != null) {
                return dead;
            }
        }
        return null;
    }

    private DeadJob deadJobIn(String queue, String stored, String id) {
        Keys k = keys(stored);
        byte[] field = Keys.bytes(id);
        return callRepeatable("deadJob", k.slot, jedis -> {
            Pipeline p = jedis.pipelined();
            Response<Double> diedAt = p.zscore(k.dead, field);
            Response<byte[]> payload = p.hget(k.jobs, field);
            Response<byte[]> error = p.hget(k.errors, field);
            Response<byte[]> attempts = p.hget(k.attempts, field);
            p.sync();
            if (diedAt.get() == null) {
                return null;
            }
            byte[] a = attempts.get();
            return new DeadJob(queue, id, payload.get(), a == null ? 0 : Integer.parseInt(str(a)),
                    error.get() == null ? null : str(error.get()), Instant.ofEpochMilli(diedAt.get().longValue()));
        });
    }

    @Override
    public boolean deleteDead(String queue, String id) {
        for (String stored : fetchedPartitions("deleteDead", List.of(queue))) {
            if (deleteDeadIn(stored, id)) {
                return true;
            }
        }
        return false;
    }

    private boolean deleteDeadIn(String queue, String id) {
        Keys k = keys(queue);
        Object r = call("deleteDead", k.slot, jedis -> PURGE.eval(jedis, List.of(k.dead, k.jobs, k.attempts, k.errors, k.expired, k.unique),
                List.of(Keys.bytes(id))));
        return (Long) r == 1L;
    }

    @Override
    public void close() {
        ParallelWait waits;
        synchronized (waiterLock) {
            closeQuietly(waiter);
            waiter = null;
            closeParkedWaiters();
            waits = parallelWait;
        }
        if (waits != null) {
            waits.close();
        }
        synchronized (waiterLock) {
            if (clusterCalls != null) {
                clusterCalls.shutdownNow();
            }
        }
        if (replicaReads != null) {
            replicaReads.close();
        }
        if (cluster != null) {
            cluster.close();
        } else {
            pool.close();
        }
    }

    /**
     * With {@link BrokerOptions#replicas()} above 0: waits ({@code WAIT}) until that many replicas hold every write
     * this connection made, for at most half the command timeout (the other half is the socket's margin).
     *
     * @throws BrokerException when fewer confirm in time, saying the master has the writes and how many replicas do
     */
    private void awaitReplicas(Jedis jedis, String what) {
        int wanted = options.replicas();
        if (wanted == 0) {
            return;
        }
        long timeout = Math.max(1, options.commandTimeout().toMillis() / 2);
        long got = jedis.waitReplicas(wanted, timeout);
        if (got < wanted) {
            throw new BrokerException(name, BrokerException.Kind.UNREACHABLE, what + ": the master has it, but only " + got
                    + " of " + wanted + " replica(s) confirmed within " + timeout + " ms (replicas=" + wanted
                    + "); it is lost if the master fails before a replica has it", null);
        }
    }

    /**
     * Runs {@code body} on a pooled connection: to the one server, or on a cluster to the master of {@code slot}
     * (every key the body touches must be in that slot). A cluster's redirection ({@code MOVED}: the slot has a new
     * master, as after a failover) means the command did not run there: the slot map is learnt again and the body
     * runs again, a few times at most. While the slot is being migrated the body follows {@code ASK} to the node the
     * keys moved to, and is made again after a short pause on {@code TRYAGAIN}, within the command timeout
     * ({@link SlotRoute}).
     */
    private <T> T call(String what, int slot, Function<Jedis, T> body) {
        return run(what, slot, body, false);
    }

    /** A pooled connection to the one server, or to the master of {@code slot} on a cluster. */
    private Jedis connection(int slot) {
        return cluster == null ? pool.getResource() : cluster.master(slot);
    }

    /**
     * Like {@link #call}, for operations that are safe to repeat: when a pooled connection turns out to be
     * dead (the server restarted while it sat idle), the call is made once more on a new connection, so a
     * restart the caller never saw does not fail its next call. A timeout is not repeated: the server is
     * there but not answering, and waiting twice would break the caller's time limit.
     */
    private <T> T callRepeatable(String what, int slot, Function<Jedis, T> body) {
        return run(what, slot, body, true);
    }

    private <T> T run(String what, int slot, Function<Jedis, T> body, boolean repeatOnDeadConnection) {
        SlotRoute route = null; // made on a cluster's first MOVED, ASK or TRYAGAIN: see SlotRoute
        while (true) {
            try (Jedis jedis = route == null ? connection(slot) : route.connection()) {
                return body.apply(jedis);
            } catch (JedisDataException e) {
                if (cluster == null || !SlotRoute.isSlotAnswer(e)) {
                    throw failure(what, e);
                }
                route = route != null ? route : new SlotRoute(cluster, slot, options.commandTimeout());
                if (!route.follow(e)) {
                    throw failure(what, e);
                }
            } catch (JedisConnectionException e) {
                dropConnections();
                if (!repeatOnDeadConnection || timedOut(e) || kindOf(e) == BrokerException.Kind.REFUSED) {
                    throw failure(what, e);
                }
                return run(what, slot, body, false);
            } catch (JedisException e) {
                throw failure(what, e);
            }
        }
    }

    private BrokerException failure(String what, JedisException e) {
        BrokerException.Kind kind = kindOf(e);
        return new BrokerException(name, kind, what + " failed: " + describe(e) + hint(kind, e), e);
    }

    /**
     * The one place that sorts a Jedis failure into a {@link BrokerException.Kind}: the server refused us (a wrong or
     * missing password, a missing ACL permission, a server certificate we do not trust), a key holds data tasque
     * cannot use (wrong type, a count that is not a number), or else an outage (no connection, a timeout, a
     * server loading or out of memory: worth waiting out). Looks through the whole cause chain.
     */
    static BrokerException.Kind kindOf(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof JedisAccessControlException || c instanceof java.security.cert.CertificateException
                    || refusalWords(c.getMessage())) {
                return BrokerException.Kind.REFUSED;
            }
            String m = String.valueOf(c.getMessage());
            if (m.contains("WRONGTYPE") || m.startsWith("ERR value is not") || m.startsWith("ERR hash value is not")) {
                return BrokerException.Kind.DATA;
            }
        }
        return BrokerException.Kind.UNREACHABLE;
    }

    private static boolean refusalWords(String message) {
        return message != null && (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH")
                || message.startsWith("NOPERM") || message.contains("no permissions")
                || message.contains("called without any password configured")
                // a command or key a Lua script needs, refused by the ACL (Redis 7 words it so and names no command)
                || message.contains("user executing the script can't"));
    }

    /** What to check for a refusal; the server's words say what was refused. */
    private static String hint(BrokerException.Kind kind, JedisException e) {
        if (kind != BrokerException.Kind.REFUSED) {
            return "";
        }
        String words = describe(e);
        if (words.contains("TLS handshake")) {
            return " (see docs/SECURITY.md for the TLS options)";
        }
        if (words.contains("user executing the script can't")) {
            return " (the ACL user lacks a command or key this Lua script needs; ACL LOG on the server names it, and"
                    + " docs/SECURITY.md lists the commands and keys tasque needs)";
        }
        if (words.contains("NOPERM") || words.contains("no permissions")) {
            return " (the ACL user lacks this permission; docs/SECURITY.md lists the commands and keys tasque needs)";
        }
        return " (check the user name and password in the broker URI)";
    }

    /** True when the server did not answer in time (frozen or overloaded), as opposed to a dead connection. */
    private static boolean timedOut(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * After a connection error, closes every idle pooled connection and the idle wait connection, so that
     * once the server is back every call starts on a new connection instead of failing on an old one.
     */
    private void dropConnections() {
        if (cluster != null) {
            // a master that stopped answering may have been replaced by its replica: learn who serves which slot
            cluster.refresh();
        } else {
            try {
                pool.clear();
            } catch (RuntimeException ignored) {
                // closing dead connections may fail; they are gone either way
            }
        }
        synchronized (waiterLock) {
            if (!blocking && waiter != null) {
                closeQuietly(waiter);
                waiter = null;
            }
            closeParkedWaiters();
        }
    }

    /** Closes the idle wait connections to other masters; the caller holds {@link #waiterLock}. */
    private void closeParkedWaiters() {
        for (ParkedWaiter parked : parkedWaiters.values()) {
            closeQuietly(parked.jedis());
        }
        parkedWaiters.clear();
    }

    private static String describe(JedisException e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable c = e.getCause();
        while (c != null && c != c.getCause()) {
            // a wrapper often repeats its cause's words (TLS errors three times over); say them once
            if (c.getMessage() != null && b.indexOf(c.getMessage()) < 0) {
                b.append(": ").append(c.getMessage());
            }
            c = c.getCause();
        }
        return b.toString();
    }

    /** Looks in every partition of the queue that may hold jobs; the first that holds anything of the id answers. */
    @Override
    public java.util.Optional<io.tasque.broker.StoredJob> job(String queue, String id) {
        for (String stored : fetchedPartitions("job", List.of(queue))) {
            List<io.tasque.broker.StoredJob> found = lookup(queue, stored, List.of(id));
            if (!found.isEmpty()) {
                return java.util.Optional.of(found.get(0));
            }
        }
        return java.util.Optional.empty();
    }

    /** The partitions one after the other, each in its own order (see {@link io.tasque.broker.JobLookup#jobs}). */
    @Override
    public List<io.tasque.broker.StoredJob> jobs(String queue, io.tasque.broker.StoredJob.State state, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        List<io.tasque.broker.StoredJob> out = new ArrayList<>();
        for (String stored : fetchedPartitions("jobs", List.of(queue))) {
            if (out.size() >= limit) {
                break;
            }
            Keys k = keys(stored);
            int want = limit - out.size();
            List<byte[]> ids = callRepeatable("jobs", k.slot, jedis -> switch (state) {
                case READY -> jedis.lrange(k.ready, 0, want - 1L);
                case DELAYED -> jedis.zrange(k.delayed, 0, want - 1L);
                // one more: the keeper member (prelude.lua) is scored +inf, so it comes last
                case RUNNING -> jedis.zrangeByScore(k.leased, Keys.bytes("-inf"), Keys.bytes("(+inf"), 0, want);
                case DEAD -> jedis.zrange(k.dead, 0, want - 1L);
                case SUCCEEDED -> jedis.zrangeByScore(k.unique, Keys.bytes("(" + now()), Keys.bytes("+inf"), 0, want);
                // running ones whose cancel is pending (negative, newest first), then the others oldest first
                case CANCELLED -> jedis.zrange(k.cancelled, 0, want - 1L);
            });
            List<String> names = new ArrayList<>(ids.size());
            for (byte[] id : ids) {
                names.add(str(id));
            }
            for (io.tasque.broker.StoredJob job : lookup(queue, stored, names)) {
                if (job.state() == state && out.size() < limit) {
                    out.add(job);
                }
            }
        }
        return out;
    }

    /** Tries every partition that may hold jobs; the one holding the job cancels it. */
    @Override
    public boolean cancel(String queue, String id) {
        for (String stored : fetchedPartitions("cancel", List.of(queue))) {
            Keys k = keys(stored);
            Object r = call("cancel", k.slot, jedis -> CANCEL.eval(jedis, k.cancelKeys(), List.of(Keys.bytes(id), num(now()))));
            if (((Long) r) != 0L) {
                return true;
            }
        }
        return false;
    }

    /** One {@code ZMSCORE} of the cancelled set per queue, pipelined per slot; a negative entry is a pending cancel. */
    @Override
    public boolean[] cancelRequested(List<Delivery> deliveries) {
        boolean[] cancelled = new boolean[deliveries.size()];
        Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
        for (int i = 0; i < deliveries.size(); i++) {
            byQueue.computeIfAbsent(storedIn(deliveries.get(i)), q -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<Integer, Map<String, List<Integer>>> slot : bySlot(byQueue).entrySet()) {
            callRepeatable("cancel check", slot.getKey(), jedis -> {
                Pipeline p = jedis.pipelined();
                List<Response<List<Double>>> replies = new ArrayList<>();
                for (Map.Entry<String, List<Integer>> e : slot.getValue().entrySet()) {
                    byte[][] ids = new byte[e.getValue().size()][];
                    for (int j = 0; j < ids.length; j++) {
                        ids[j] = Keys.bytes(deliveries.get(e.getValue().get(j)).id());
                    }
                    replies.add(p.zmscore(keys(e.getKey()).cancelled, ids));
                }
                p.sync();
                int n = 0;
                for (Map.Entry<String, List<Integer>> e : slot.getValue().entrySet()) {
                    List<Double> scores = replies.get(n++).get();
                    for (int j = 0; j < scores.size(); j++) {
                        Double at = scores.get(j);
                        cancelled[e.getValue().get(j)] = at != null && at < 0;
                    }
                }
                return null;
            });
        }
        return cancelled;
    }

    @Override
    public long serverTimeMillis() {
        return schedules.serverTimeMillis();
    }

    @Override
    public PutResult put(String id, String definition, long nextFireMillis) {
        return schedules.put(id, definition, nextFireMillis);
    }

    @Override
    public boolean remove(String id) {
        return schedules.remove(id);
    }

    @Override
    public List<Stored> schedules() {
        return schedules.schedules();
    }

    @Override
    public Due due(int max) {
        return schedules.due(max);
    }

    @Override
    public boolean claim(String id, String definition, long expectedNextMillis, long tickMillis, long newNextMillis, long claimMillis) {
        return schedules.claim(id, definition, expectedNextMillis, tickMillis, newNextMillis, claimMillis);
    }

    @Override
    public boolean reclaim(String id, long tickMillis, long claimMillis) {
        return schedules.reclaim(id, tickMillis, claimMillis);
    }

    @Override
    public boolean fired(String id, long tickMillis) {
        return schedules.fired(id, tickMillis);
    }

    /** What {@code lookup.lua} finds of {@code ids} in partition {@code stored} of {@code queue}. */
    private List<io.tasque.broker.StoredJob> lookup(String queue, String stored, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Keys k = keys(stored);
        List<byte[]> args = new ArrayList<>(ids.size());
        for (String id : ids) {
            args.add(Keys.bytes(id));
        }
        List<?> reply = callRepeatable("job", k.slot, jedis -> (List<?>) LOOKUP.eval(jedis, StoredJobs.lookupKeys(k), args));
        return StoredJobs.parse(queue, ids, reply, now());
    }

    private Keys keys(String queue) {
        return keys.computeIfAbsent(queue, q -> new Keys(options.keyPrefix(), q));
    }

    private long now() {
        return options.clock().millis();
    }

    private static void closeQuietly(Jedis jedis) {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // already broken; nothing to release
            }
        }
    }

    private static byte[] num(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    private static String str(Object bytes) {
        return new String((byte[]) bytes, StandardCharsets.UTF_8);
    }
}
