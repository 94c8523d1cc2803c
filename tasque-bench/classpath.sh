# Sourced by run.sh and micro.sh: builds the project when tasque-bench has no jar yet and sets BENCH_CP to
# the jar plus its runtime class path (asked of Maven once, kept in target/bench.classpath until a pom changes).
# A BENCH_CP already set in the environment is used as it is and nothing is built: for a machine that must not
# install into ~/.m2 or cannot reach Maven Central (the bench classes compiled elsewhere, the modules' jars and
# their dependencies listed by hand).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ -n "${BENCH_CP:-}" ]; then
  return 0
fi

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
BENCH_CP="$jar:$(cat "$classpath_file")"
