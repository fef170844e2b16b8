#!/usr/bin/env bash
# The rwsplit proxy under sysbench, side by side with the primary directly and with HAProxy (TCP
# mode) in front of the primary, all in one run on one local sandbox cluster (primary + 2 replicas).
#
#   benchmarks/proxy-bench.sh                 # 3 repetitions x 20 s per cell: about 45 min on 2 cores
#   benchmarks/proxy-bench.sh --quick         # smoke: 1 repetition x 3 s, small tables: about 4 min
#   benchmarks/proxy-bench.sh --reps 5 --time 30 --threads "1 8 32 64"
#   benchmarks/proxy-bench.sh --help
#
# Needs sysbench, haproxy, python3 and a JDK 17+ (apt-get install sysbench haproxy). Everything
# listens on and talks to 127.0.0.1 only; the cluster, HAProxy and the proxy are stopped on exit.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
java="${JAVA:-java}"
sandbox_jar="$root/sandbox/target/rwsplit-sandbox.jar"
proxy_jar="$root/proxy-server/target/rwsplit-proxy.jar"

usage() {
  cat <<'USAGE'
usage: benchmarks/proxy-bench.sh [options]

  --quick              smoke run: --reps 1 --time 3 --warmup 2 --table-size 10000
  --reps N             repetitions of every cell (default 3)
  --time S             seconds per sysbench run (default 20)
  --warmup S           untimed warm-up per target and workload before the first repetition (default 10)
  --threads "LIST"     sysbench thread counts (default "1 8 32")
  --workloads "LIST"   of oltp_point_select oltp_read_only oltp_read_only_skip_trx oltp_read_write
                       (default: all four; *_skip_trx is oltp_read_only --skip_trx=on)
  --targets "LIST"     of direct haproxy rwsplit rwsplit-nio (default: direct haproxy rwsplit);
                       rwsplit-nio is a second proxy on Java NIO instead of native epoll
  --tables N           sysbench tables (default 4)
  --table-size N       rows per table (default 100000)
  --ps-mode MODE       sysbench --db-ps-mode: auto (server-side prepared statements) or disable (default auto)
  --pool-size N        the proxy's pool.maxSize, per node and event loop (default 64)
  --out PREFIX         result files PREFIX.tsv and PREFIX.md
                       (default benchmarks/results/proxy-sysbench-<date>[-quick])
  --keep               keep the work directory (configs, logs, every sysbench output)

Environment: JAVA (default java), PROXY_JAVA_OPTS (default "-Xms512m -Xmx512m").
USAGE
}

reps=3 duration=20 warmup=10 threads="1 8 32" tables=4 table_size=100000 ps_mode=auto pool_size=64
workloads="oltp_point_select oltp_read_only oltp_read_only_skip_trx oltp_read_write"
targets="direct haproxy rwsplit"
quick=false keep=false out=""
reps_set=false time_set=false warmup_set=false size_set=false
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --reps) reps=$2; reps_set=true; shift ;;
    --time) duration=$2; time_set=true; shift ;;
    --warmup) warmup=$2; warmup_set=true; shift ;;
    --threads) threads=$2; shift ;;
    --workloads) workloads=$2; shift ;;
    --targets) targets=$2; shift ;;
    --tables) tables=$2; shift ;;
    --table-size) table_size=$2; size_set=true; shift ;;
    --ps-mode) ps_mode=$2; shift ;;
    --pool-size) pool_size=$2; shift ;;
    --out) out=$2; shift ;;
    --keep) keep=true ;;
    -h|--help) usage; exit 0 ;;
    *) echo "proxy-bench: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if $quick; then
  $reps_set || reps=1
  $time_set || duration=3
  $warmup_set || warmup=2
  $size_set || table_size=10000
fi
for w in $workloads; do
  case "$w" in
    oltp_point_select|oltp_read_only|oltp_read_only_skip_trx|oltp_read_write) ;;
    *) echo "proxy-bench: unknown workload '$w'" >&2; exit 2 ;;
  esac
done
for t in $targets; do
  case "$t" in
    direct|haproxy|rwsplit|rwsplit-nio) ;;
    *) echo "proxy-bench: unknown target '$t'" >&2; exit 2 ;;
  esac
done

missing=""
for tool in sysbench haproxy python3 "$java"; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  echo "proxy-bench: missing:$missing (Debian: apt-get install sysbench haproxy python3)" >&2
  exit 1
fi

if [ ! -f "$sandbox_jar" ] || [ ! -f "$proxy_jar" ]; then
  echo "proxy-bench: building the jars (./mvnw -q -B -DskipTests package)" >&2
  (cd "$root" && ./mvnw -q -B -DskipTests package)
fi

day="$(date +%Y-%m-%d)"
if [ -z "$out" ]; then
  suffix=""
  if $quick; then suffix="-quick"; fi
  out="$here/results/proxy-sysbench-$day$suffix"
  [ -e "$out.tsv" ] && out="$out-$(date +%H%M%S)"
fi
mkdir -p "$(dirname "$out")"

work="$(mktemp -d "${TMPDIR:-/tmp}/rwsplit-proxy-bench.XXXXXX")"
mkdir -p "$work/runs"
cluster="pbench-$$"
cluster_started=false
haproxy_pid=""
proxy_pid=""
nio_pid=""

log() { echo "proxy-bench: $*" >&2; }

stop_pid() {  # pid, grace seconds: SIGTERM, then SIGKILL if it is still there
  local pid=$1 grace=$2 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$proxy_pid" ] && stop_pid "$proxy_pid" 10
  [ -n "$nio_pid" ] && stop_pid "$nio_pid" 10
  [ -n "$haproxy_pid" ] && stop_pid "$haproxy_pid" 5
  if $cluster_started; then
    "$java" -jar "$sandbox_jar" stop --name "$cluster" >/dev/null 2>&1 || log "could not stop sandbox cluster $cluster"
  fi
  if $keep || [ "$rc" -ne 0 ]; then
    log "work directory kept: $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ---- the cluster
log "starting sandbox cluster $cluster (primary + 2 replicas)"
cluster_started=true
"$java" -jar "$sandbox_jar" start --name "$cluster" --replicas 2 >"$work/sandbox.txt" 2>&1 || {
  cat "$work/sandbox.txt" >&2
  exit 1
}
# "  n1       primary  127.0.0.1:33113       server_id=1 pid=24231"
mapfile -t node_lines < <(sed -nE 's/^ +([a-z0-9]+) +(primary|replica) +127\.0\.0\.1:([0-9]+) .*pid=([0-9]+).*/\1 \2 \3 \4/p' \
  "$work/sandbox.txt")
node_names=() node_ports=() node_pids=() primary_port=""
for l in "${node_lines[@]}"; do
  read -r n role port pid <<<"$l"
  node_names+=("$n") node_ports+=("$port") node_pids+=("$pid")
  [ "$role" = primary ] && primary_port=$port
done
read -r app_user app_password database admin_user admin_password < <(sed -nE \
  's|^ +accounts: application ([^/ ]+)/([^ ]+) \(database ([^)]+)\), admin ([^/ ]+)/([^ ,]+),.*|\1 \2 \3 \4 \5|p' \
  "$work/sandbox.txt")
client="$(sed -nE 's/^ +client: +([^ ]+) .*/\1/p' "$work/sandbox.txt")"
[ -x "$client" ] || client="$(command -v mariadb || command -v mysql || true)"
if [ -z "$primary_port" ] || [ "${#node_names[@]}" -ne 3 ] || [ -z "$admin_password" ] || [ -z "$client" ]; then
  log "could not read the cluster's addresses and accounts from the sandbox output:"
  cat "$work/sandbox.txt" >&2
  exit 1
fi
sed -n '/^cluster/,/client:/p' "$work/sandbox.txt" >&2

sql() {  # port user password statement...: tab-separated rows, no header
  local port=$1 user=$2 password=$3
  shift 3
  "$client" --skip-ssl -h 127.0.0.1 -P "$port" -u "$user" -p"$password" -N -B -e "$*"
}

# what the servers did, read from their own counters: node.Counter=value,...
counters="'Com_select','Questions','Com_stmt_prepare','Com_change_db','Com_set_option','Connections'"
server_status() {
  local i s=""
  for i in "${!node_names[@]}"; do
    s="$s${s:+,}$(sql "${node_ports[$i]}" "$admin_user" "$admin_password" \
      "SHOW GLOBAL STATUS WHERE Variable_name IN ($counters)" | awk -v n="${node_names[$i]}" -v ORS=, '{print n "." $1 "=" $2}')"
    s=${s%,}
  done
  echo "$s"
}

# deltas of two server_status snapshots: "n1=..,n2=..,n3=.." Com_select per node, then "|",
# then the other counters summed over the nodes
status_delta() {
  python3 "$here/proxy-bench-report.py" --delta "$1" "$2"
}

cpu_ticks() {  # utime + stime of the given pids, in clock ticks; fields after the ")" of comm
  local pid total=0 rest
  for pid in "$@"; do
    rest=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null) || { echo -1; return; }
    set -- $rest
    total=$((total + ${12} + ${13}))
  done
  echo "$total"
}

# ---- sysbench tables, written on the primary and awaited on the replicas
sb_common=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-user="$app_user" --mysql-password="$app_password"
  --mysql-db="$database" --tables="$tables" --table-size="$table_size" --db-ps-mode="$ps_mode")
log "sysbench prepare: $tables tables x $table_size rows"
sysbench oltp_read_write "${sb_common[@]}" --mysql-port="$primary_port" --threads=2 prepare >"$work/prepare.log" 2>&1 || {
  cat "$work/prepare.log" >&2
  exit 1
}
count_sql="SELECT 0"
for ((t = 1; t <= tables; t++)); do
  count_sql="$count_sql + (SELECT COUNT(*) FROM sbtest$t)"
done
want=$((tables * table_size))
for i in "${!node_names[@]}"; do
  for ((s = 0; ; s++)); do
    have=$(sql "${node_ports[$i]}" "$admin_user" "$admin_password" "USE $database; $count_sql" 2>/dev/null || echo 0)
    [ "$have" = "$want" ] && break
    if [ "$s" -ge 600 ]; then
      log "${node_names[$i]} has $have of $want rows after 120 s"
      exit 1
    fi
    sleep 0.2
  done
done

# ---- HAProxy in TCP mode in front of the primary
haproxy_port=$(free_port)
cat >"$work/haproxy.cfg" <<EOF
global
    maxconn 4096
defaults
    mode tcp
    timeout connect 5s
    timeout client 1h
    timeout server 1h
listen mysql
    bind 127.0.0.1:$haproxy_port
    server primary 127.0.0.1:$primary_port
EOF
haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
haproxy_pid=$!

# ---- the rwsplit proxy (and with rwsplit-nio a second one on Java NIO)
proxy_yaml() {  # port transport
  echo "listen: {address: 127.0.0.1, port: $1, transport: $2}"
  echo "users:"
  echo "  - {name: '$app_user', password: '$app_password'}"
  echo "backend: {tls: disabled}   # as sysbench, HAProxy and the direct runs: no TLS anywhere"
  echo "limits: {shutdownGrace: 1s}"
  echo "admin: {enabled: false}   # two proxies may run side by side; the admin port is not measured"
  echo "nodes:"
  for i in "${!node_names[@]}"; do
    echo "  - {name: ${node_names[$i]}, host: 127.0.0.1, port: ${node_ports[$i]}}"
  done
  echo "monitor: {user: '$admin_user', password: '$admin_password'}"
  echo "pool: {maxSize: $pool_size}"
}
proxy_port=$(free_port)
proxy_yaml "$proxy_port" auto >"$work/proxy.yaml"
# shellcheck disable=SC2086
"$java" ${PROXY_JAVA_OPTS:--Xms512m -Xmx512m} -jar "$proxy_jar" -c "$work/proxy.yaml" >"$work/proxy.log" 2>&1 &
proxy_pid=$!
nio_port=""
if [[ " $targets " == *" rwsplit-nio "* ]]; then
  nio_port=$(free_port)
  proxy_yaml "$nio_port" nio >"$work/proxy-nio.yaml"
  # shellcheck disable=SC2086
  "$java" ${PROXY_JAVA_OPTS:--Xms512m -Xmx512m} -jar "$proxy_jar" -c "$work/proxy-nio.yaml" >"$work/proxy-nio.log" 2>&1 &
  nio_pid=$!
fi

await_sql() {  # name port: until a SELECT 1 through it works, 60 s at most
  local s
  for ((s = 0; s < 300; s++)); do
    sql "$2" "$app_user" "$app_password" "SELECT 1" >/dev/null 2>&1 && return 0
    kill -0 "$haproxy_pid" 2>/dev/null || { log "haproxy exited:"; cat "$work/haproxy.log" >&2; exit 1; }
    kill -0 "$proxy_pid" 2>/dev/null || { log "the proxy exited:"; cat "$work/proxy.log" >&2; exit 1; }
    [ -z "$nio_pid" ] || kill -0 "$nio_pid" 2>/dev/null || { log "the NIO proxy exited:"; cat "$work/proxy-nio.log" >&2; exit 1; }
    sleep 0.2
  done
  log "$1 on port $2 does not answer after 60 s"
  exit 1
}
await_sql haproxy "$haproxy_port"
await_sql rwsplit "$proxy_port"
[ -z "$nio_port" ] || await_sql rwsplit-nio "$nio_port"

port_of() {
  case "$1" in
    direct) echo "$primary_port" ;;
    haproxy) echo "$haproxy_port" ;;
    rwsplit) echo "$proxy_port" ;;
    rwsplit-nio) echo "$nio_port" ;;
  esac
}
pid_of() {
  case "$1" in
    direct) echo "" ;;
    haproxy) echo "$haproxy_pid" ;;
    rwsplit) echo "$proxy_pid" ;;
    rwsplit-nio) echo "$nio_pid" ;;
  esac
}
sb_args() {  # workload -> sysbench test and options
  case "$1" in
    oltp_read_only_skip_trx) echo "oltp_read_only --skip_trx=on" ;;
    *) echo "$1" ;;
  esac
}

# ---- warm-up: the JIT of the proxy, HAProxy, the servers' buffer pools
if [ "$warmup" -gt 0 ]; then
  log "warm-up: ${warmup} s per target and workload at 8 threads"
  for target in $targets; do
    for w in $workloads; do
      # shellcheck disable=SC2046
      sysbench $(sb_args "$w") "${sb_common[@]}" --mysql-port="$(port_of "$target")" --threads=8 \
        --time="$warmup" run >"$work/runs/warmup-$target-$w.log" 2>&1 || log "warm-up of $target/$w failed (see --keep)"
    done
  done
fi

# ---- the measured runs: each cell runs every target back to back, in an order that rotates
clk_tck=$(getconf CLK_TCK)
tsv="$out.tsv"
printf 'rep\tworkload\tthreads\ttarget\tseconds\trc\tqueries\tqps\ttps\tlat_avg_ms\tlat_p95_ms\tignored_errors\treconnects\tcom_select\tserver_counters\tproxy_cpu_ticks\tservers_cpu_ticks\tclk_tck\terror\n' >"$tsv"
target_list=($targets)
ntargets=${#target_list[@]}
cells=$(( $(wc -w <<<"$workloads") * $(wc -w <<<"$threads") ))
log "measuring: $reps x $cells cells x $ntargets targets x ${duration} s"
cell=0
for ((rep = 1; rep <= reps; rep++)); do
  for w in $workloads; do
    for th in $threads; do
      cell=$((cell + 1))
      for ((k = 0; k < ntargets; k++)); do
        target=${target_list[$(( (k + cell + rep) % ntargets ))]}
        port=$(port_of "$target")
        pid=$(pid_of "$target")
        f="$work/runs/$target-$w-t$th-r$rep.log"
        st0=$(server_status)
        cpu0=$([ -n "$pid" ] && cpu_ticks "$pid" || echo 0)
        srv0=$(cpu_ticks "${node_pids[@]}")
        rc=0
        # shellcheck disable=SC2046
        sysbench $(sb_args "$w") "${sb_common[@]}" --mysql-port="$port" --threads="$th" --time="$duration" \
          --percentile=95 --report-interval=0 run >"$f" 2>&1 || rc=$?
        srv1=$(cpu_ticks "${node_pids[@]}")
        cpu1=$([ -n "$pid" ] && cpu_ticks "$pid" || echo 0)
        st1=$(server_status)
        delta=$(status_delta "$st0" "$st1") || exit 1
        IFS='|' read -r com others <<<"$delta"
        row=$(awk -v OFS='|' '
          /queries:/ && /per sec/ { q = $2; gsub(/[(]/, "", $3); qps = $3 }
          /transactions:/ { gsub(/[(]/, "", $3); tps = $3 }
          /total time:/ { secs = $3; sub(/s$/, "", secs) }
          /avg:/ && lat == "" { lat = $2 }
          /95th percentile:/ { p95 = $3 }
          /ignored errors:/ { ign = $3 }
          /reconnects:/ { rec = $2 }
          /FATAL|ERROR/ && err == "" { err = $0; gsub(/[\t|]/, " ", err) }
          END { print secs, q, qps, tps, lat, p95, ign, rec, err }' "$f")
        IFS='|' read -r secs q qps tps lat p95 ign rec err <<<"$row"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$w" "$th" \
          "$target" "${secs:-0}" "$rc" "${q:-0}" "${qps:-0}" "${tps:-0}" "${lat:-}" "${p95:-}" "${ign:-0}" "${rec:-0}" \
          "$com" "$others" \
          "$([ -n "$pid" ] && echo $((cpu1 - cpu0)) || echo)" "$((srv1 - srv0))" "$clk_tck" "$err" >>"$tsv"
        log "$(printf 'rep %d %-24s %2d threads %-8s %9s qps  p95 %7s ms  %s%s' "$rep" "$w" "$th" "$target" \
          "${qps:-0}" "${p95:--}" "$com" "${err:+  ERROR: $err}")"
      done
    done
  done
done

# ---- medians and ratios
{
  echo "sysbench $(sysbench --version | awk '{print $2}'), $(haproxy -v | head -n 1 | awk '{print "HAProxy", $3}'),"
  echo "$("$java" -version 2>&1 | head -n 1), $(sed -n 's/^cluster [^:]*: //p' "$work/sandbox.txt"),"
  echo "$(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Options: --reps $reps --time $duration --warmup $warmup --threads \"$threads\" --tables $tables --table-size $table_size --ps-mode $ps_mode --pool-size $pool_size; proxy JVM: ${PROXY_JAVA_OPTS:--Xms512m -Xmx512m}."
} >"$work/meta.txt"
python3 "$here/proxy-bench-report.py" "$tsv" "$work/meta.txt" >"$out.md"
cat "$out.md"
log "results: $tsv and $out.md"
if grep -q 'Exception\|ERROR' "$work/proxy.log"; then
  log "the proxy logged errors; its log:"
  grep -a -m 20 'Exception\|ERROR' "$work/proxy.log" >&2 || true
  cp "$work/proxy.log" "$out.proxy.log"
fi
