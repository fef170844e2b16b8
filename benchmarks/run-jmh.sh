#!/usr/bin/env bash
# Runs the JMH suite of the routing core with settings a 2-core machine finishes in about 35
# minutes, and keeps the JSON results in benchmarks/results/jmh-core-<date>.json.
# Builds benchmarks/target/benchmarks.jar first when it is missing or older than the sources.
#
#   benchmarks/run-jmh.sh                      # the whole suite
#   benchmarks/run-jmh.sh 'RouterBenchmark'    # extra arguments go to JMH (here: a benchmark regex)
#   RESULT=/tmp/x.json benchmarks/run-jmh.sh   # results elsewhere
#   JAVA=/path/to/jdk/bin/java benchmarks/run-jmh.sh   # another JVM than the one on PATH
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/benchmarks.jar"

stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$here/pom.xml" "$here/src" "$root/pom.xml" "$root/core/pom.xml" "$root/core/src/main" \
    -type f -newer "$jar" -print -quit)" ]
}

if stale; then
  echo "run-jmh: building $jar" >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -pl benchmarks -am package)
fi

result="${RESULT:-$here/results/jmh-core-$(date +%Y-%m-%d).json}"
mkdir -p "$(dirname "$result")"

# One fork, five 2 s iterations. Warm-up is left to the annotations: 3 x 2 s, and 8 x 2 s for the
# benchmarks that run JSqlParser, which takes that long to settle (-wi/-w here would override both).
# -prof gc adds gc.alloc.rate.norm (bytes allocated per operation, all threads). A fixed heap keeps
# heap resizing out of the measurements.
"${JAVA:-java}" -jar "$jar" \
  -f 1 -i 5 -r 2s \
  -prof gc \
  -jvmArgsAppend "-Xms1g -Xmx1g" \
  -rf json -rff "$result" \
  "$@"

echo "run-jmh: results in $result" >&2
