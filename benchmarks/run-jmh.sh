#!/usr/bin/env bash
# Runs the JMH suites and keeps their JSON results in benchmarks/results/.
# Builds benchmarks/target/benchmarks.jar first when it is missing or older than the sources.
#
#   benchmarks/run-jmh.sh                      # core: the classifier and the router, about 45 min on 2 cores
#   benchmarks/run-jmh.sh classifier           # the classifier against JSqlParser and ShardingSphere's parser only
#   benchmarks/run-jmh.sh router               # the router only
#   benchmarks/run-jmh.sh drivers              # the JDBC driver against its peers at 1 and 4 threads, then the
#                                              # read spread and CPU per read: about 45 min on 2 cores
#   benchmarks/run-jmh.sh classifier --quick   # short settings for a small or busy machine (see below)
#   benchmarks/run-jmh.sh drivers --quick --drivers connectorj,rwsplit,shardingsphere
#   benchmarks/run-jmh.sh classifier 'shardingsphere|cached$' -prof stack   # more arguments go to JMH
#
# Settings (JMH's own options; give one yourself and the script leaves that one out):
#   core, classifier, router   -f 1 -i 5 -r 2s -prof gc, a fixed 1 GiB heap; warm-up from the annotations
#                              (3 x 2 s, 8 x 2 s for the benchmarks that call a parser)
#     --quick                  -f 1 -wi 3 -w 1s -i 3 -r 1s -prof gc: about 20 min for the classifier
#   drivers                    -t 1 and -t 4; forks, warm-up (5 x 2 s), iterations (8 x 2 s) and heap from
#                              DriverBenchmark's annotations; ReadSpread 10,000 reads; CpuPerRead 3 x 30,000
#     --quick                  -t 1 only, -wi 3 -w 1s -i 5 -r 1s, ReadSpread 2,000 reads, no CpuPerRead:
#                              about 8 min for all six drivers
#   --drivers LIST             drivers only (comma-separated `driver` values), for JMH and ReadSpread/CpuPerRead
#   --threads "1 4"            the drivers suite's thread counts
#   --tag NAME                 goes into the result files' names (a quick run is tagged `quick`), so that a
#                              second run of the day does not overwrite the first
#   RESULTS=dir                where the JSON goes (default benchmarks/results)
#   JAVA=/path/to/jdk/bin/java another JVM than the one on PATH
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/benchmarks.jar"
java="${JAVA:-java}"
results="${RESULTS:-$here/results}"
day="$(date +%F)"

suite=core
case "${1:-}" in
  core | classifier | router | drivers) suite=$1; shift ;;
esac

quick=false
tag=""
drivers=""
threads=""
jmh_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --tag) tag=$2; shift ;;
    --drivers) drivers=$2; shift ;;
    --threads) threads=$2; shift ;;
    *) jmh_args+=("$1") ;;
  esac
  shift
done
if $quick && [ -z "$tag" ]; then
  tag=quick
fi
suffix="${tag:+$tag-}$day"

# true when the JMH arguments already hold the option $1
given() {
  local a
  for a in "${jmh_args[@]+"${jmh_args[@]}"}"; do
    [ "$a" = "$1" ] && return 0
  done
  return 1
}

# the script's setting "$1 $2" unless the caller gave $1
settings=()
default() {
  given "$1" || settings+=("$@")
}

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
mkdir -p "$results"

if [ "$suite" = drivers ]; then
  # DriverBenchmark starts a MariaDB primary and two replicas in every fork; its annotations hold
  # warm-up, iterations and the fork's heap, which --quick shortens
  if $quick; then
    default -wi 3
    default -w 1s
    default -i 5
    default -r 1s
    threads="${threads:-1}"
    reads=2000
  else
    threads="${threads:-1 4}"
    reads=10000
  fi
  if [ -n "$drivers" ]; then
    default -p "driver=$drivers"
  fi
  written=()
  for t in $threads; do
    out="$results/jmh-drivers-t$t-$suffix.json"
    # a benchmark regex of the caller's replaces the whole class
    if [ ${#jmh_args[@]} -gt 0 ] && [[ "${jmh_args[0]}" != -* ]]; then
      "$java" -jar "$jar" "${jmh_args[@]}" "${settings[@]+"${settings[@]}"}" -t "$t" -rf json -rff "$out"
    else
      "$java" -jar "$jar" 'DriverBenchmark' "${jmh_args[@]+"${jmh_args[@]}"}" "${settings[@]+"${settings[@]}"}" \
        -t "$t" -rf json -rff "$out"
    fi
    written+=("$out")
  done
  # which server served the reads, per driver, over 1 and then 4 threads
  out="$results/read-spread-$suffix.json"
  "$java" -Xms1g -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$jar" io.rwsplit.benchmarks.ReadSpread "$reads" "$out" "$drivers"
  written+=("$out")
  if ! $quick; then
    # client and server CPU per point select, one thread, three rounds of 30,000 reads per driver
    out="$results/cpu-per-read-$suffix.json"
    "$java" -Xms1g -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
      -cp "$jar" io.rwsplit.benchmarks.CpuPerRead 30000 3 "$out" "$drivers"
    written+=("$out")
  fi
  echo "run-jmh: results in ${written[*]}" >&2
  exit 0
fi

case "$suite" in
  core) regex='ClassifierBenchmark|RouterBenchmark' ;;
  classifier) regex='ClassifierBenchmark' ;;
  router) regex='RouterBenchmark' ;;
esac
result="$results/jmh-$suite-$suffix.json"
# a benchmark regex of the caller's replaces the suite's
if [ ${#jmh_args[@]} -gt 0 ] && [[ "${jmh_args[0]}" != -* ]]; then
  regex=${jmh_args[0]}
  jmh_args=("${jmh_args[@]:1}")
fi

# One fork, five 2 s iterations. Warm-up is left to the annotations: 3 x 2 s, and 8 x 2 s for the
# benchmarks that run a parser, which takes that long to settle (-wi/-w here would override both).
# -prof gc adds gc.alloc.rate.norm (bytes allocated per operation, all threads). A fixed heap keeps
# heap resizing out of the measurements.
default -f 1
if $quick; then
  default -wi 3
  default -w 1s
  default -i 3
  default -r 1s
else
  default -i 5
  default -r 2s
fi
default -prof gc
default -jvmArgsAppend "-Xms1g -Xmx1g"
"$java" -jar "$jar" "$regex" "${settings[@]}" "${jmh_args[@]+"${jmh_args[@]}"}" -rf json -rff "$result"

echo "run-jmh: results in $result" >&2
