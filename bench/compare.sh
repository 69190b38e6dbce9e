#!/usr/bin/env bash
# bench/compare.sh: Partita (3 nodes, replication factor 3, fsync on) against its peers on this machine, in one run,
# with the same load generator, workloads, record size, record count and threads:
#   etcd       3 members (bench/etcd-cluster.sh), fsync on
#   redis      one server, appendfsync always (bench/redis-server.sh)
#   memcached  one server, in memory only: the upper bound (bench/memcached.sh)
#   partita-tls  Partita as above with TLS on every port, client certificates, and users and roles (`partita local
#              --secure`; the load generator logs in as admin): its ratio column is then plain Partita / Partita
#              with TLS and authentication, what they cost
#
# Usage: bench/compare.sh [--systems "partita etcd redis memcached"] [--workloads "A C"] [--duration 30s]
#                         [--warmup 5s] [--records 100000] [--value-size 1000] [--bins 1] [--threads 16]
#                         [--distribution zipfian] [--raft-groups auto] [--max-time 840] [--out DIR] [--no-build]
#
# --raft-groups: Partita's Raft group count (`partita local --raft-groups`, default auto as a node's: 6 for 3 nodes). Fewer
# groups put more concurrent writes in each group, so group commit packs several into one log entry.
# Each system is started fresh on 127.0.0.1, loaded (every record written once, 64 threads: the load row), run with
# each workload (YCSB's, zipfian keys unless --distribution says otherwise), and stopped. One table on stdout: per
# workload and system ops/s, p50 and p99 (all operations), p99 per operation, errors, CPU time and context switches
# per operation of the store's processes and of the load generator (from /proc over the measured window), and the
# Partita/peer ratios of ops/s, p99 and server CPU per operation; the same for the load phase (puts/s). Raw
# reports (text and JSON) and server logs stay in DIR (default: a new directory under /tmp).
# With the defaults the measurements take about 10 minutes; --max-time (seconds, default 840) bounds everything
# after the build: when it is reached, everything started is stopped and the script exits with 124. Missing Debian packages (etcd-server,
# redis-server, memcached) are installed by the server scripts. Needs python3 for the table.
# Exit codes: 0 done, 1 a system failed to start or a run failed, 2 bad options, 124 --max-time reached.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
partita="$root/bin/partita"

systems="partita etcd redis memcached"
workloads="A C"
duration=30s
warmup=5s
records=100000
value_size=1000
bins=1
threads=16
distribution=zipfian
raft_groups=auto
max_time=840
out=""
build=1

die() { echo "compare.sh: $*" >&2; exit 2; }
fail() { echo "compare.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --systems|--workloads|--duration|--warmup|--records|--value-size|--bins|--threads|--distribution|--raft-groups|--max-time|--out)
      [ $# -ge 2 ] || die "$1 needs a value"
      case "$1" in
        --systems) systems=$2 ;;
        --workloads) workloads=$2 ;;
        --duration) duration=$2 ;;
        --warmup) warmup=$2 ;;
        --records) records=$2 ;;
        --value-size) value_size=$2 ;;
        --bins) bins=$2 ;;
        --threads) threads=$2 ;;
        --distribution) distribution=$2 ;;
        --raft-groups) raft_groups=$2 ;;
        --max-time) max_time=$2 ;;
        --out) out=$2 ;;
      esac
      shift 2
      ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
for s in $systems; do
  case "$s" in partita|partita-tls|etcd|redis|memcached) ;;
    *) die "unknown system '$s' (partita, partita-tls, etcd, redis, memcached)" ;; esac
done
[[ "$raft_groups" =~ ^([1-9][0-9]*|auto)$ ]] || die "--raft-groups must be a positive number or auto, got '$raft_groups'"
[[ "$max_time" =~ ^[0-9]+$ ]] || die "--max-time must be a number of seconds, got '$max_time'"
command -v python3 >/dev/null || die "python3 is needed for the summary table"
[ -n "$out" ] || out=$(mktemp -d /tmp/partita-compare.XXXXXX)
mkdir -p "$out"
out=$(cd "$out" && pwd)

# --- cleanup and the time bound ----------------------------------------------------------------------------------

local_pid=""   # bin/partita local
child=""       # the bench run in progress
watchdog=""
cleanup() {
  local code=$?
  trap - EXIT INT TERM
  [ -z "$watchdog" ] || kill "$watchdog" 2>/dev/null || true
  [ -z "$child" ] || kill -TERM "$child" 2>/dev/null || true
  if [ -n "$local_pid" ] && kill -0 "$local_pid" 2>/dev/null; then
    kill -TERM "$local_pid" 2>/dev/null || true
    wait "$local_pid" 2>/dev/null || true
  fi
  "$here/etcd-cluster.sh" stop "$out/etcd" >/dev/null 2>&1 || true
  "$here/redis-server.sh" stop "$out/redis" >/dev/null 2>&1 || true
  "$here/memcached.sh" stop "$out/memcached" >/dev/null 2>&1 || true
  rm -rf "$out/partita-data"
  exit "$code"
}
trap cleanup EXIT
trap 'echo "compare.sh: interrupted" >&2; exit 130' INT
trap 'echo "compare.sh: --max-time ${max_time}s reached: stopped (partial reports in $out)" >&2; exit 124' TERM

# Runs a command in the background and waits for it, so that the time bound's TERM is handled at once.
bounded() {
  "$@" &
  child=$!
  local rc=0
  wait "$child" || rc=$?
  child=""
  return "$rc"
}

# shellcheck source=local-cluster-lib.sh
. "$here/local-cluster-lib.sh"

common=(--records "$records" --value-size "$value_size" --bins "$bins" --seed 1)

# The pids of process $1's descendants, one per line.
descendants() {
  local p
  for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$p"
    descendants "$p"
  done
}

# A comma-separated list of the pids in the files $@ (etcd members, redis, memcached).
pid_files() {
  cat "$@" | paste -sd, -
}

# run_bench SYSTEM HOSTS PIDS: load every record once (64 threads), then one measured run per workload. PIDS (comma
# separated) are the store's processes: the reports give their CPU time and context switches per operation. Reports
# are named after SYSTEM; the load generator's target is SYSTEM without a -tls suffix (it reads PARTITA_TLS_*).
run_bench() {
  local label=$1 hosts=$2 pids=$3 w
  local target=${label%-tls}
  echo "== $label: loading $records records (server pids $pids)" >&2
  bounded "$partita" bench --target "$target" --hosts "$hosts" --threads 64 --load --workload C --duration 100ms \
    --warmup 0s --progress-interval 10s --server-pids "$pids" "${common[@]}" --json "$out/$label-load.json" \
    >"$out/$label-load.txt" ||
    fail "$label: the load failed (see $out/$label-load.txt)"
  for w in $workloads; do
    echo "== $label: workload $w, $threads threads, ${duration} (+${warmup} warm-up)" >&2
    bounded "$partita" bench --target "$target" --hosts "$hosts" --threads "$threads" --workload "$w" \
      --distribution "$distribution" --duration "$duration" --warmup "$warmup" --progress-interval 10s \
      --server-pids "$pids" "${common[@]}" --json "$out/$label-$w.json" >"$out/$label-$w.txt" ||
      fail "$label: workload $w failed (see $out/$label-$w.txt)"
  done
}

# Measure what is checked out: build the jars first (bin/partita alone only builds when they are missing).
if [ "$build" = 1 ]; then
  echo "== building (./mvnw -q -B -DskipTests package)" >&2
  (cd "$root" && ./mvnw -q -B -DskipTests package) || fail "the build failed"
fi
(sleep "$max_time" && kill -TERM $$) 2>/dev/null &
watchdog=$!

for system in $systems; do
  case "$system" in
    partita|partita-tls)
      secure=""
      [ "$system" = partita-tls ] && secure=secure
      echo "== $system: bin/partita local --nodes 3 --raft-groups $raft_groups${secure:+ --secure} (replication" \
        "factor 3, fsync on)" >&2
      base=$(free_base 17300)
      start_local_cluster "$partita" "$out/$system-data" "$base" "$raft_groups" "$out/$system-local.log" \
        "$out/$system-status.txt" $secure
      run_bench "$system" "$hosts" "$(descendants "$local_pid" | paste -sd, -)"
      kill -TERM "$local_pid"
      wait "$local_pid" 2>/dev/null || true
      local_pid=""
      stop_tls_env
      rm -rf "$out/$system-data"
      ;;
    etcd)
      echo "== etcd: bench/etcd-cluster.sh (3 members, fsync on)" >&2
      hosts=$("$here/etcd-cluster.sh" start "$out/etcd") || fail "etcd did not start"
      run_bench etcd "$hosts" "$(pid_files "$out"/etcd/m*.pid)"
      "$here/etcd-cluster.sh" stop "$out/etcd" >/dev/null
      ;;
    redis)
      echo "== redis: bench/redis-server.sh (appendfsync always)" >&2
      hosts=$("$here/redis-server.sh" start "$out/redis") || fail "redis did not start"
      run_bench redis "$hosts" "$(pid_files "$out/redis/server.pid")"
      "$here/redis-server.sh" stop "$out/redis" >/dev/null
      ;;
    memcached)
      echo "== memcached: bench/memcached.sh (in memory)" >&2
      hosts=$("$here/memcached.sh" start "$out/memcached") || fail "memcached did not start"
      run_bench memcached "$hosts" "$(pid_files "$out/memcached/server.pid")"
      "$here/memcached.sh" stop "$out/memcached" >/dev/null
      ;;
  esac
done

python3 - "$out" "$systems" "$workloads" <<'PY'
import json, os, sys
out, systems, workloads = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
nan = float("nan")

def load(name):
    with open(os.path.join(out, name + ".json")) as f:
        return json.load(f)

def ms(op, key):
    v = op["latency-us"][key]
    return nan if v is None else v / 1000

def cost(c, part, key):
    u = (c or {}).get(part) or {}
    v = u.get(key)
    return nan if v is None else v

def ratio(a, b):
    return a / b if b and b == b else nan

def cost_cells(c):
    return (f" {cost(c, 'server', 'cpu-us-per-op'):>9,.0f} {cost(c, 'server', 'context-switches-per-op'):>6.1f}"
            f" {cost(c, 'load-generator', 'cpu-us-per-op'):>9,.0f} {cost(c, 'load-generator', 'context-switches-per-op'):>6.1f}")

COST_HEAD = f" {'srv us/op':>9} {'cs/op':>6} {'gen us/op':>9} {'cs/op':>6}"
compared = "partita" in systems and len(systems) > 1
RATIO_HEAD = f"   {'Partita/peer: ops/s':>19} {'p99':>6} {'CPU/op':>7}"

# The load phase: every record written once, 64 threads.
loads = {s: load(f"{s}-load") for s in systems}
print("load: every record written once, 64 threads; CPU in us and context switches per put (srv = the store's "
      "processes, gen = the load generator)")
print(f"  {'system':<11} {'puts/s':>9} {'errors':>7}" + COST_HEAD + (RATIO_HEAD.replace("ops/s", "puts/s") if compared else ""))
for s, r in loads.items():
    l = r["load"]
    rate = l["written"] / l["seconds"] if l["seconds"] else nan
    line = f"  {s:<11} {rate:>9,.0f} {sum(l['errors'].values()):>7}" + cost_cells(l.get("cost"))
    if compared and s != "partita":
        b = loads["partita"]["load"]
        brate = b["written"] / b["seconds"] if b["seconds"] else nan
        line += (f"   {ratio(brate, rate):>18.2f}x {'':>6} "
                 f"{ratio(cost(b.get('cost'), 'server', 'cpu-us-per-op'), cost(l.get('cost'), 'server', 'cpu-us-per-op')):>6.2f}x")
    print(line)
print()

for w in workloads:
    reports = {s: load(f"{s}-{w}") for s in systems}
    first = next(iter(reports.values()))
    p = first["parameters"]
    ops = [k for k in first["operations"] if k != "total"]
    print(f"workload {w} ({p['mix']}, {p['distribution']}), {p['threads']} threads, {p['records']:,} records of "
          f"{p['bins']} x {p['value-size']} B, {first['seconds']:.0f} s; latency in ms; CPU in us and context "
          f"switches per operation")
    head = f"  {'system':<11} {'ops/s':>9} {'p50':>7} {'p99':>7}" + "".join(f" {o + ' p99':>11}" for o in ops)
    head += f" {'errors':>7}" + COST_HEAD + (RATIO_HEAD if compared else "")
    print(head)
    base = reports.get("partita")
    for s, r in reports.items():
        t = r["operations"]["total"]
        line = f"  {s:<11} {t['ops-per-second']:>9,.0f} {ms(t, 'p50'):>7.2f} {ms(t, 'p99'):>7.2f}"
        line += "".join(f" {ms(r['operations'][o], 'p99'):>11.2f}" for o in ops)
        line += f" {t['error-count']:>7}" + cost_cells(r.get("cost"))
        if compared and s != "partita":
            b = base["operations"]["total"]
            line += (f"   {ratio(b['ops-per-second'], t['ops-per-second']):>18.2f}x {ratio(ms(b, 'p99'), ms(t, 'p99')):>5.2f}x "
                     f"{ratio(cost(base.get('cost'), 'server', 'cpu-us-per-op'), cost(r.get('cost'), 'server', 'cpu-us-per-op')):>6.2f}x")
        print(line)
    print()
print(f"(ratios are Partita / peer: ops/s above 1x, p99 and CPU/op below 1x favour Partita; reports in {out})")
PY
