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
# shellcheck source=tasque-bench/classpath.sh
source "$(dirname "${BASH_SOURCE[0]}")/classpath.sh"

# shellcheck disable=SC2086 # MICRO_JAVA_OPTS is a list of options
exec java ${MICRO_JAVA_OPTS:-} -cp "$BENCH_CP" io.tasque.bench.micro.MicroBench "$@"
