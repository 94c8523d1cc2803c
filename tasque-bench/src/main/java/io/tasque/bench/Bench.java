package io.tasque.bench;

import io.tasque.broker.BrokerOptions;
import io.tasque.client.TasqueClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * Benchmarks tasque on Redis with the phases and output of the peer task-queue benches: enqueue one by one
 * and in bulk, processing at concurrency 10 and 50, end-to-end, submit-to-handler latency; then latency at
 * the issue's 1000 jobs/s, what an idle worker sends to Redis (and runs inside scripts), how much memory a
 * queued job takes, and the heap over a long run; {@code --latency} runs only the latency phase in the issue's
 * setup; {@code --cluster} runs only the cluster scaling mode ({@link ClusterScaling}). Prints progress lines, one
 * {@code RESULT|…} line and a
 * table, and with {@code --chart} writes an SVG bar chart; exits 0 when every phase ran, 1 on an error,
 * 2 on bad arguments.
 *
 * <pre>
 * java -cp … io.tasque.bench.Bench                        private redis-server, full run
 * java -cp … io.tasque.bench.Bench --quick                smoke run
 * java -cp … io.tasque.bench.Bench --chart tasque.svg --peers results-2026-11-21.txt
 * java -cp … io.tasque.bench.Bench --broker redis://127.0.0.1:6379/5 --flush
 * java -cp … io.tasque.bench.Bench --cluster                      one queue over 1, 2 and 3 cluster masters
 * </pre>
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (Throwable e) {
            System.err.println("benchmark failed: " + e);
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    private static int run(String[] args) throws InterruptedException {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(Settings.USAGE);
            return 0;
        }
        Settings settings;
        try {
            settings = Settings.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(Settings.USAGE);
            return 2;
        }
        if (settings.cluster()) {
            ClusterSettings cluster;
            try {
                cluster = ClusterSettings.parse(System.getenv());
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                System.err.println(Settings.USAGE);
                return 2;
            }
            return new ClusterScaling(cluster).run();
        }
        ChartOutput chart = null;
        if (settings.chartFile() != null) {
            try {
                chart = ChartOutput.of(settings.chartFile(), settings.peersFile());
            } catch (UncheckedIOException e) {
                System.err.println("error: " + e.getMessage());
                return 2;
            }
        }
        RedisTarget redis;
        try {
            redis = settings.brokerUri() == null ? RedisTarget.privateServer() : RedisTarget.external(settings.brokerUri());
        } catch (RuntimeException e) {
            System.out.println("skipped: cannot start redis-server: " + e.getMessage());
            return 1;
        }
        try (redis; TasqueClient client = TasqueClient.connect(redis.uri())) {
            return measure(settings, redis, client, chart);
        }
    }

    private static int measure(Settings settings, RedisTarget redis, TasqueClient client, ChartOutput chart)
            throws InterruptedException {
        String version = version("io.tasque", "tasque-client");
        String redisVersion;
        try (RedisStats stats = new RedisStats(redis.connect())) {
            redisVersion = stats.version();
        }
        Progress.line("tasque-java %s (jedis %s), java %s, redis %s on %s (%s)", version,
                version("redis.clients", "jedis"), System.getProperty("java.version"), redisVersion, client.broker(),
                redis.isPrivate() ? "private testkit server, no persistence" : "given with --broker, FLUSHDB between phases");
        Progress.line(settings.describe());
        if (chart != null) {
            Progress.line("chart: %d peer rows read from --peers", chart.peerCount());
        }

        Scenarios scenarios = new Scenarios(settings, redis, client);
        if (settings.latencyOnly()) {
            Scenarios.Latency issue = scenarios.latency(Scenarios.ISSUE_RATE, Scenarios.ISSUE_CONCURRENCY,
                    Scenarios.ISSUE_WARMUP);
            redis.flush();
            System.out.println(ResultTable.latencyLine("tasque-java " + version + JvmFlags.label(), issue));
            System.out.println(ResultTable.issueLine(issue));
            return 0;
        }
        scenarios.warmUp();
        PhaseResult enqueue = scenarios.enqueueOneByOne();
        PhaseResult bulk = scenarios.enqueueBulk();
        PhaseResult c10 = scenarios.process(10);
        PhaseResult c50 = scenarios.process(50);
        PhaseResult e2e = scenarios.endToEnd();
        Scenarios.Latency latency = scenarios.latency(settings.latRate(), 10, 0);
        Scenarios.Latency latency2 = scenarios.latency(settings.lat2Rate(), 10, 0);
        Scenarios.Latency latencyIssue = scenarios.latency(Scenarios.ISSUE_RATE, Scenarios.ISSUE_CONCURRENCY,
                Scenarios.ISSUE_WARMUP);
        IdleCost.Result idle = new IdleCost(redis).measure(settings.idleSeconds());
        MemoryCost.Result memory = new MemoryCost(redis, client).measure(settings.memN(), settings.phaseTimeoutNanos());
        HeapRun.Result heap = new HeapRun(redis, client).measure(settings.heapN(), settings.heapTimeoutNanos());
        redis.flush();

        String notes = String.format(Locale.ROOT, "Worker(c) = 2 fetch lanes + c handler threads; submit() x%d threads on one"
                        + " client (pool %d); submitAll(%d); warm-up runs submit() and submitAll; idle worker sends %.2f"
                        + " cmd/s (+%.2f inside scripts); p50/p99 @%d/s %s/%s ms; %.0f B per queued job",
                settings.enqParallel(), BrokerOptions.DEFAULT_POOL_SIZE, settings.bulkChunk(), idle.sentPerSecond(),
                idle.inScriptPerSecond(), latency2.rate(), Numbers.ms(latency2.p50()), Numbers.ms(latency2.p99()),
                memory.bytesPerJob());
        ResultTable result = new ResultTable("tasque-java " + version, enqueue, bulk, c10, c50, e2e, latency, latency2,
                latencyIssue, idle, memory, heap, notes);
        System.out.println(result.resultLine());
        result.latencyLines().forEach(System.out::println);
        String file = System.getenv("PEERS_RESULT_FILE");
        if (file != null && !file.isBlank()) {
            result.appendTo(file);
        }
        System.out.println();
        System.out.println(result.table());
        System.out.flush();
        if (chart != null) {
            try {
                chart.write(result.chartRow(), String.format(Locale.ROOT, "tasque: this run, N=%d%s", settings.n(),
                        settings.quick() ? " (quick smoke run)" : ""));
            } catch (IOException e) {
                System.err.println("cannot write the chart " + settings.chartFile() + ": " + e);
                return 1;
            }
        }
        return 0;
    }

    /** The version of a jar on the class path from its Maven metadata, without "-SNAPSHOT"; "?" if unknown. */
    private static String version(String groupId, String artifactId) {
        String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = Bench.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "?";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "?").replace("-SNAPSHOT", "");
        } catch (IOException e) {
            return "?";
        }
    }
}
