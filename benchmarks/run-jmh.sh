#!/usr/bin/env bash
# Runs the JMH suites and keeps their JSON results in benchmarks/results/.
# Builds benchmarks/target/benchmarks.jar first when it is missing or older than the sources.
#
#   benchmarks/run-jmh.sh                      # the routing core (classifier, router): about 35 min on 2 cores
#   benchmarks/run-jmh.sh 'RouterBenchmark'    # extra arguments go to JMH (here: a benchmark regex)
#   benchmarks/run-jmh.sh drivers              # the JDBC driver against its peers, 1 and 4 threads,
#                                              # then the read spread and CPU per read: about 30 min on 2 cores
#   RESULT=/tmp/x.json benchmarks/run-jmh.sh   # core results elsewhere
#   JAVA=/path/to/jdk/bin/java benchmarks/run-jmh.sh   # another JVM than the one on PATH
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/benchmarks.jar"
java="${JAVA:-java}"
day="$(date +%Y-%m-%d)"

stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$here/pom.xml" "$here/src" "$root/pom.xml" \
    "$root/core/pom.xml" "$root/core/src/main" \
    "$root/sandbox/pom.xml" "$root/sandbox/src/main" \
    "$root/jdbc-driver/pom.xml" "$root/jdbc-driver/src/main" \
    -type f -newer "$jar" -print -quit)" ]
}

if stale; then
  echo "run-jmh: building $jar" >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -Pbenchmarks-jar -pl benchmarks -am package)
fi
mkdir -p "$here/results"

if [ "${1:-}" = "drivers" ]; then
  shift
  # DriverBenchmark starts a MariaDB primary and two replicas in every fork. Warm-up, iterations
  # and the fork's heap are in its annotations; -t is the only setting given here.
  for t in 1 4; do
    "$java" -jar "$jar" 'DriverBenchmark' -t "$t" \
      -rf json -rff "$here/results/jmh-drivers-t$t-$day.json" "$@"
  done
  # which server served the reads, per driver: 10,000 point selects over 1 and then 4 threads
  "$java" -Xms1g -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$jar" io.rwsplit.benchmarks.ReadSpread 10000 "$here/results/read-spread-$day.json"
  # client and server CPU per point select, one thread, three rounds of 30,000 reads per driver
  "$java" -Xms1g -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$jar" io.rwsplit.benchmarks.CpuPerRead 30000 3 "$here/results/cpu-per-read-$day.json"
  echo "run-jmh: results in $here/results/{jmh-drivers-t1,jmh-drivers-t4,read-spread,cpu-per-read}-$day.json" >&2
  exit 0
fi

result="${RESULT:-$here/results/jmh-core-$day.json}"

# The core suite unless a regex is given: the driver benchmark needs settings of its own (above).
if [ $# -eq 0 ]; then
  set -- 'ClassifierBenchmark|RouterBenchmark'
fi

# One fork, five 2 s iterations. Warm-up is left to the annotations: 3 x 2 s, and 8 x 2 s for the
# benchmarks that run JSqlParser, which takes that long to settle (-wi/-w here would override both).
# -prof gc adds gc.alloc.rate.norm (bytes allocated per operation, all threads). A fixed heap keeps
# heap resizing out of the measurements.
"$java" -jar "$jar" \
  -f 1 -i 5 -r 2s \
  -prof gc \
  -jvmArgsAppend "-Xms1g -Xmx1g" \
  -rf json -rff "$result" \
  "$@"

echo "run-jmh: results in $result" >&2
