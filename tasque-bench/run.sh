#!/usr/bin/env bash
# Runs the tasque benchmark (io.tasque.bench.Bench) in its own JVM.
#
#   tasque-bench/run.sh                     full run on a private redis-server (a few minutes: the heap phase
#                                           pushes 1 000 000 jobs through)
#   tasque-bench/run.sh --quick             smoke run
#   tasque-bench/run.sh --chart tasque.svg --peers /path/to/peers/results-2026-11-21.txt
#   tasque-bench/run.sh --broker redis://127.0.0.1:6379/5 --flush
#   BENCH_N=20000 LAT_SECONDS=5 HEAP_N=200000 tasque-bench/run.sh
#
# Builds the project first when tasque-bench has no jar yet (./mvnw -q -DskipTests install), and asks
# Maven once for the runtime class path (kept in tasque-bench/target/bench.classpath until a pom changes).
# Knobs: BENCH_N ENQ_PARALLEL BULK_CHUNK LAT_RATE LAT_SECONDS LAT2_RATE WARMUP_N PHASE_TIMEOUT_S IDLE_SECONDS
# MEM_N HEAP_N HEAP_TIMEOUT_S;
# the RESULT line is also appended to $PEERS_RESULT_FILE when that is set. JVM options: BENCH_JAVA_OPTS.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

find_jar() { ls tasque-bench/target/tasque-bench-*.jar 2>/dev/null | head -n 1 || true; }

jar="$(find_jar)"
if [ -z "$jar" ]; then
  echo "[tasque] building the project (./mvnw -q -DskipTests install)" >&2
  ./mvnw -q -DskipTests install
  jar="$(find_jar)"
  [ -n "$jar" ] || { echo "[tasque] no jar in tasque-bench/target after the build" >&2; exit 1; }
fi

classpath_file=tasque-bench/target/bench.classpath
if [ ! -s "$classpath_file" ] || [ pom.xml -nt "$classpath_file" ] || [ tasque-bench/pom.xml -nt "$classpath_file" ]; then
  ./mvnw -q -pl tasque-bench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >&2
fi

# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
exec java ${BENCH_JAVA_OPTS:--Xms512m -Xmx2g} -cp "$jar:$(cat "$classpath_file")" io.tasque.bench.Bench "$@"
