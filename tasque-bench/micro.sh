#!/usr/bin/env bash
# Runs the JMH micro-benchmarks (io.tasque.bench.micro.MicroBench): envelope codec, task building, job ids.
#
#   tasque-bench/micro.sh                          all of them: 1 fork, 3 warm-up + 3 measurement iterations of 1 s
#   tasque-bench/micro.sh Codec -f 1 -wi 1 -i 1    one class, a quicker run
#   tasque-bench/micro.sh -prof gc                 with allocation rates per operation
#   tasque-bench/micro.sh -h                       every JMH option
#
# Arguments are JMH's own command-line options. Builds and finds the class path like run.sh.
# JVM options for the forked benchmark JVMs: -jvmArgs "…"; for the launcher: MICRO_JAVA_OPTS.
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

# shellcheck disable=SC2086 # MICRO_JAVA_OPTS is a list of options
exec java ${MICRO_JAVA_OPTS:-} -cp "$jar:$(cat "$classpath_file")" io.tasque.bench.micro.MicroBench "$@"
