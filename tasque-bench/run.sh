#!/usr/bin/env bash
# Runs the tasque benchmark (io.tasque.bench.Bench) in its own JVM.
#
#   tasque-bench/run.sh                     full run on a private redis-server (a few minutes: the heap phase
#                                           pushes 1 000 000 jobs through)
#   tasque-bench/run.sh --quick             smoke run
#   tasque-bench/run.sh --latency           only the issue's latency setup (fresh JVM, 500 warm-up, 1000/s, c=16),
#                                           run twice: with the JVM options as given, then in another fresh JVM
#                                           with -XX:TieredStopAtLevel=1 added (C1 only; LAT_C1_TOO=0 skips it)
#   tasque-bench/run.sh --chart tasque.svg --peers /path/to/peers/results-2026-11-21.txt
#   tasque-bench/run.sh --broker redis://127.0.0.1:6379/5 --flush
#   BENCH_N=20000 LAT_SECONDS=5 HEAP_N=200000 tasque-bench/run.sh
#   tasque-bench/run.sh --cluster           cluster scaling: one queue split into partitions over 1, 2 and 3 private
#                                           Redis Cluster masters (no replicas), after the same harness on one plain
#                                           redis-server; per setup end-to-end (CLUSTER_PRODUCERS threads submit() while
#                                           Worker(concurrency 50) runs) and process-only (pre-loaded, then the worker)
#                                           jobs/s, CPU µs per job of this JVM and of the redis-servers, the busiest
#                                           master's share of a core; one CLUSTER line per setup and a markdown table.
#                                           A few minutes: CLUSTER_N (100000) jobs per phase; also CLUSTER_MASTERS (1,2,3)
#                                           CLUSTER_PRODUCERS (8) CLUSTER_WARMUP_N (10000) CLUSTER_JIT_WARMUP_N (30000)
#                                           BULK_CHUNK PHASE_TIMEOUT_S
#
# Builds the project first when tasque-bench has no jar yet (./mvnw -q -DskipTests install), and asks
# Maven once for the runtime class path (kept in tasque-bench/target/bench.classpath until a pom changes);
# a BENCH_CP set in the environment is used instead, and nothing is built (see classpath.sh).
# Knobs: BENCH_N ENQ_PARALLEL BULK_CHUNK LAT_RATE LAT_SECONDS LAT2_RATE WARMUP_N PHASE_TIMEOUT_S IDLE_SECONDS
# MEM_N HEAP_N HEAP_TIMEOUT_S; BENCH_MAX_RUNNING=n gives every handler maxRunning(n) (above the concurrency it holds
# nothing back: the cost of a limited queue);
# the RESULT line is also appended to $PEERS_RESULT_FILE when that is set. JVM options: BENCH_JAVA_OPTS.
set -euo pipefail
# shellcheck source=tasque-bench/classpath.sh
source "$(dirname "${BASH_SOURCE[0]}")/classpath.sh"

# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
if [[ " $* " == *" --latency "* ]] && [ "${LAT_C1_TOO:-1}" != 0 ]; then
  # the JIT's second tier compiles the hot paths during the timed seconds; the second run shows the latency
  # without it, and its LATENCY line names the option
  java ${BENCH_JAVA_OPTS:--Xms512m -Xmx2g} -cp "$BENCH_CP" io.tasque.bench.Bench "$@"
  exec java ${BENCH_JAVA_OPTS:--Xms512m -Xmx2g} -XX:TieredStopAtLevel=1 -cp "$BENCH_CP" io.tasque.bench.Bench "$@"
fi
exec java ${BENCH_JAVA_OPTS:--Xms512m -Xmx2g} -cp "$BENCH_CP" io.tasque.bench.Bench "$@"
