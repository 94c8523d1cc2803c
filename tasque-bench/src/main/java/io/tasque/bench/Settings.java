package io.tasque.bench;

import io.tasque.broker.BrokerUri;
import java.util.Map;

/**
 * The benchmark's knobs, from the command line and the environment. The environment variables are the
 * ones the peer benches honour, with the same defaults; {@code --quick} lowers the defaults for a smoke
 * run, and an environment variable that is set still wins over it.
 *
 * <pre>
 * --broker URI   use this Redis instead of a private one (needs --flush: every phase empties its database)
 * --flush        allow FLUSHDB on the --broker database
 * --quick        N 5000, LAT_SECONDS 2, idle 3 s, memory 20 000 jobs, heap 50 000 jobs
 * --chart FILE   write an SVG bar chart of the jobs/s columns (with --peers: next to the peers' rows)
 * --peers FILE   a peer kit result file or run output; its RESULT|… lines go into the chart
 * --latency      only the latency phase in the setup (1000 jobs/s, concurrency 16, 500 warm-up)
 * --cluster      only the cluster scaling mode ({@link ClusterScaling}; its knobs are {@link ClusterSettings})
 * BENCH_N (50000)  ENQ_PARALLEL (50)  BULK_CHUNK (1000)  LAT_RATE (500/s)  LAT_SECONDS (10)
 * LAT2_RATE (1000/s)  WARMUP_N (2000)  PHASE_TIMEOUT_S (180)  IDLE_SECONDS (10)  MEM_N (1000000)
 * HEAP_N (1000000)  HEAP_TIMEOUT_S (900)
 * </pre>
 */
record Settings(String brokerUri, boolean flush, boolean quick, boolean latencyOnly, boolean cluster, String chartFile,
                String peersFile, int n,
                int enqParallel, int bulkChunk, int latRate, int latSeconds, int lat2Rate, int warmupN,
                int phaseTimeoutSeconds, int idleSeconds, int memN, int heapN, int heapTimeoutSeconds) {

    static final String USAGE = String.join("\n",
            "usage: Bench [--quick | --latency | --cluster] [--broker redis://host:port[/db] --flush] [--chart FILE.svg [--peers FILE]]",
            "  --broker URI  benchmark this Redis instead of a private one; its database is emptied (FLUSHDB)",
            "                before every phase, so --flush must be given too",
            "  --flush       allow emptying the --broker database",
            "  --quick       smoke run: N 5000, LAT_SECONDS 2, idle 3 s, memory 20000 jobs, heap 50000 jobs",
            "  --chart FILE  write an SVG bar chart of jobs/s per system (enqueue, bulk, c=10, c=50, end-to-end)",
            "  --peers FILE  peer kit results (results-*.txt or run output): its RESULT| lines join the chart",
            "  --latency     only the latency phase in the issue's setup, in this fresh JVM: 500 warm-up tasks, then",
            "                1000 jobs/s from one thread for LAT_SECONDS into Worker(concurrency 16); prints its LATENCY line",
            "  --cluster     only the cluster scaling mode: one queue split over 1, 2 and 3 private Redis Cluster masters",
            "                (no replicas), end-to-end and process-only at Worker(concurrency 50), CPU per job; the same",
            "                harness on one plain redis-server first, for reference",
            "environment: BENCH_N ENQ_PARALLEL BULK_CHUNK LAT_RATE LAT_SECONDS LAT2_RATE WARMUP_N PHASE_TIMEOUT_S",
            "             IDLE_SECONDS MEM_N HEAP_N HEAP_TIMEOUT_S PEERS_RESULT_FILE",
            "             with --cluster: CLUSTER_N CLUSTER_MASTERS CLUSTER_PRODUCERS CLUSTER_WARMUP_N CLUSTER_JIT_WARMUP_N",
            "             BULK_CHUNK PHASE_TIMEOUT_S");

    /**
     * Reads the arguments and the environment.
     *
     * @throws IllegalArgumentException with a message for the user when an argument or a value is wrong
     */
    static Settings parse(String[] args, Map<String, String> env) {
        String broker = null;
        boolean flush = false;
        boolean quick = false;
        boolean latencyOnly = false;
        boolean cluster = false;
        String chart = null;
        String peers = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--broker" -> {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new IllegalArgumentException("--broker needs a URI, e.g. --broker redis://127.0.0.1:6379/0");
                    }
                    broker = args[++i];
                }
                case "--chart" -> chart = value(args, i++, "--chart tasque.svg");
                case "--peers" -> peers = value(args, i++, "--peers results-2026-11-21.txt");
                case "--flush" -> flush = true;
                case "--quick" -> quick = true;
                case "--latency" -> latencyOnly = true;
                case "--cluster" -> cluster = true;
                default -> {
                    if (a.startsWith("--broker=")) {
                        broker = a.substring("--broker=".length());
                    } else if (a.startsWith("--chart=")) {
                        chart = a.substring("--chart=".length());
                    } else if (a.startsWith("--peers=")) {
                        peers = a.substring("--peers=".length());
                    } else {
                        throw new IllegalArgumentException("unknown argument '" + a + "'");
                    }
                }
            }
        }
        if (broker != null && !BrokerUri.parse(broker).scheme().startsWith("redis")) {
            throw new IllegalArgumentException("--broker " + BrokerUri.redact(broker) + " is not a Redis URI;"
                    + " use redis://host:port[/db] or rediss://…");
        }
        if (broker != null && !flush) {
            throw new IllegalArgumentException("--broker " + BrokerUri.redact(broker) + " would be emptied (FLUSHDB) before every phase;"
                    + " add --flush if that is what you want");
        }
        if (peers != null && chart == null) {
            throw new IllegalArgumentException("--peers only feeds the chart; add --chart FILE.svg");
        }
        if (latencyOnly && chart != null) {
            throw new IllegalArgumentException("--latency runs no jobs/s phase, so there is nothing to chart; drop --chart");
        }
        if (cluster && (broker != null || latencyOnly || chart != null || quick)) {
            throw new IllegalArgumentException("--cluster starts its own servers and runs only its own phases; drop"
                    + " --broker, --latency, --quick and --chart (set CLUSTER_N for a shorter run)");
        }
        return new Settings(broker, flush, quick, latencyOnly, cluster, chart, peers,
                positive(env, "BENCH_N", quick ? 5_000 : 50_000),
                positive(env, "ENQ_PARALLEL", 50),
                positive(env, "BULK_CHUNK", 1_000),
                positive(env, "LAT_RATE", 500),
                positive(env, "LAT_SECONDS", quick ? 2 : 10),
                positive(env, "LAT2_RATE", 1_000),
                atLeastZero(env, "WARMUP_N", 2_000),
                positive(env, "PHASE_TIMEOUT_S", 180),
                positive(env, "IDLE_SECONDS", quick ? 3 : 10),
                positive(env, "MEM_N", quick ? 20_000 : 1_000_000),
                positive(env, "HEAP_N", quick ? 50_000 : 1_000_000),
                positive(env, "HEAP_TIMEOUT_S", 900));
    }

    /** The phase timeout in nanoseconds. */
    long phaseTimeoutNanos() {
        return phaseTimeoutSeconds * 1_000_000_000L;
    }

    /** The heap phase's time limit in nanoseconds. */
    long heapTimeoutNanos() {
        return heapTimeoutSeconds * 1_000_000_000L;
    }

    /** One line with every knob, for the header. */
    String describe() {
        return "N=" + n + " ENQ_PARALLEL=" + enqParallel + " BULK_CHUNK=" + bulkChunk + " LAT_RATE=" + latRate
                + "/s LAT_SECONDS=" + latSeconds + " LAT2_RATE=" + lat2Rate + "/s WARMUP_N=" + warmupN
                + " PHASE_TIMEOUT_S=" + phaseTimeoutSeconds + " IDLE_SECONDS=" + idleSeconds + " MEM_N=" + memN
                + " HEAP_N=" + heapN + " HEAP_TIMEOUT_S=" + heapTimeoutSeconds + (quick ? " (quick)" : "")
                + (latencyOnly ? " (latency only)" : "") + (cluster ? " (cluster mode)" : "");
    }

    /** The value after option {@code args[i]} (the caller skips it), which must not look like another option. */
    private static String value(String[] args, int i, String example) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new IllegalArgumentException(args[i] + " needs a value, e.g. " + example);
        }
        return args[i + 1];
    }

    static int positive(Map<String, String> env, String name, int fallback) {
        int v = read(env, name, fallback);
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + v);
        }
        return v;
    }

    static int atLeastZero(Map<String, String> env, String name, int fallback) {
        int v = read(env, name, fallback);
        if (v < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + v);
        }
        return v;
    }

    private static int read(Map<String, String> env, String name, int fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "='" + raw + "' is not a whole number");
        }
    }
}
