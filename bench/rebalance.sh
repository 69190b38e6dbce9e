#!/usr/bin/env bash
# bench/rebalance.sh: rebalance throughput and client latency while a 3-node cluster (replication factor 3, fsync on)
# grows to 5 nodes under load.
#
# Usage: bench/rebalance.sh [--records 100000] [--value-size 1000] [--threads 16] [--target-rate 200]
#                           [--workload A] [--baseline 30s] [--window 20s] [--raft-groups 6] [--settle 5]
#                           [--rebalance-timeout 900] [--max-time 1800] [--out DIR] [--no-build]
#
# 1. starts bin/partita local --nodes 3 --raft-groups G and loads --records records of --value-size bytes (the load
#    generator's keys 0..N-1 in test/bench, 64 threads);
# 2. baseline: the load generator (YCSB --workload, --threads threads paced at --target-rate ops/s, so latency is
#    measured from each operation's intended start) for --baseline; its p99;
# 3. starts nodes n4 and n5 (node.yaml derived from n1's: next ports of the local layout, seeds n1-n3), starts the
#    same load again in back-to-back windows of --window, and adds both nodes (partita node add); waits until no move
#    is in progress on any node (partita_rebalance_moves_in_progress 0 everywhere, for --settle seconds in a row,
#    with n4 and n5 hosting groups; a failure after --rebalance-timeout seconds), then lets the window in progress
#    finish;
# 4. prints one table: time from the first node add to the last move done, replicas moved (replica changes between
#    the plans before and after), record bytes moved (replicas moved x records per group x value size; the new
#    nodes' Raft logs, installed snapshots and data directories beside it), MB/s and replicas per minute over that
#    time, and the client p99 (all ops, reads, updates) of the baseline against each window during the rebalance.
# Raw outputs (load generator reports, status before/after, metrics, node logs) stay in DIR (default: a new
# directory under /tmp); the cluster and its data are removed at the end. --max-time (seconds) bounds everything
# after the build: then everything started is stopped and the script exits with 124.
# Exit codes: 0 done, 1 a step failed, 2 bad options, 124 --max-time reached. Needs python3 and curl.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
partita="$root/bin/partita"

records=100000
value_size=1000
threads=16
target_rate=200
workload=A
baseline=30s
window=20s
raft_groups=6
settle=5
rebalance_timeout=900
max_time=1800
out=""
build=1

die() { echo "rebalance.sh: $*" >&2; exit 2; }
fail() { echo "rebalance.sh: $*" >&2; exit 1; }
say() { echo "== $*" >&2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --records|--value-size|--threads|--target-rate|--workload|--baseline|--window|--raft-groups|--settle|\
    --rebalance-timeout|--max-time|--out)
      [ $# -ge 2 ] || die "$1 needs a value"
      case "$1" in
        --records) records=$2 ;;
        --value-size) value_size=$2 ;;
        --threads) threads=$2 ;;
        --target-rate) target_rate=$2 ;;
        --workload) workload=$2 ;;
        --baseline) baseline=$2 ;;
        --window) window=$2 ;;
        --raft-groups) raft_groups=$2 ;;
        --settle) settle=$2 ;;
        --rebalance-timeout) rebalance_timeout=$2 ;;
        --max-time) max_time=$2 ;;
        --out) out=$2 ;;
      esac
      shift 2
      ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
for v in records value_size threads target_rate raft_groups settle rebalance_timeout max_time; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "--${v//_/-} must be a number, got '${!v}'"
done
[ "$records" -gt 0 ] || die "--records must be positive"
[ "$raft_groups" -gt 0 ] || die "--raft-groups must be positive"
[[ "$workload" =~ ^[ABCDF]$ ]] || die "--workload must be one of A B C D F (E scans, which Partita's driver cannot)"
command -v python3 >/dev/null || die "python3 is needed for the table"
command -v curl >/dev/null || die "curl is needed to read the nodes' /metrics"
[ -n "$out" ] || out=$(mktemp -d /tmp/partita-rebalance.XXXXXX)
mkdir -p "$out"
out=$(cd "$out" && pwd)
data="$out/partita-data"
[ ! -e "$data" ] || die "$data exists: use another --out"

# --- cleanup and the time bound ----------------------------------------------------------------------------------

local_pid=""  # bin/partita local (n1-n3)
added_pids="" # partita server of n4 and n5
loop_pid=""   # the load windows during the rebalance
child=""      # a load generator run in the foreground
watchdog=""
stop_pid() { # stop_pid PID: TERM, wait up to 30 s, then KILL
  local p=$1 i
  kill -0 "$p" 2>/dev/null || return 0
  kill -TERM "$p" 2>/dev/null || true
  for i in $(seq 1 300); do
    kill -0 "$p" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}
cleanup() {
  local code=$? p
  trap - EXIT INT TERM
  [ -z "$watchdog" ] || kill "$watchdog" 2>/dev/null || true
  [ -z "$child" ] || kill -TERM "$child" 2>/dev/null || true
  if [ -n "$loop_pid" ]; then
    touch "$out/.stop-load"
    pkill -TERM -P "$loop_pid" 2>/dev/null || true
    stop_pid "$loop_pid"
  fi
  for p in $added_pids; do stop_pid "$p"; done
  [ -z "$local_pid" ] || stop_pid "$local_pid"
  for n in n1 n2 n3; do
    [ ! -f "$data/$n/node.log" ] || cp "$data/$n/node.log" "$out/$n.log" 2>/dev/null || true
  done
  rm -rf "$data" "$out/.stop-load"
  exit "$code"
}
trap cleanup EXIT
trap 'echo "rebalance.sh: interrupted" >&2; exit 130' INT
trap 'echo "rebalance.sh: --max-time ${max_time}s reached: stopped (partial outputs in $out)" >&2; exit 124' TERM

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
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Every live node's /metrics (admin port = client port + 2 in the local layout) into DIR/metrics-LABEL-nI.txt.
save_metrics() {
  local label=$1 i
  for i in 1 2 3 4 5; do
    curl -s --max-time 5 "http://127.0.0.1:$(( base + 3 * (i - 1) + 2 ))/metrics" \
      >"$out/metrics-$label-n$i.txt" 2>/dev/null || rm -f "$out/metrics-$label-n$i.txt"
  done
}

# The largest value, over the nodes n1-n5 that answer, of the unlabelled gauge $1; "-" if none answers.
metric_max() {
  local name=$1 i max="" v
  for i in 1 2 3 4 5; do
    v=$(curl -s --max-time 3 "http://127.0.0.1:$(( base + 3 * (i - 1) + 2 ))/metrics" 2>/dev/null |
      awk -v n="$name" '$1 == n { printf "%d", $2; found = 1 } END { if (!found) exit 1 }') || continue
    [ -n "$max" ] && [ "$max" -ge "$v" ] || max=$v
  done
  echo "${max:--}"
}

# The unlabelled gauge $2 of node n$1, or "-".
metric_of() {
  curl -s --max-time 3 "http://127.0.0.1:$(( base + 3 * ($1 - 1) + 2 ))/metrics" 2>/dev/null |
    awk -v n="$2" '$1 == n { printf "%d", $2; found = 1 } END { if (!found) print "-" }'
}

common=(--records "$records" --value-size "$value_size" --seed 1)
paced=(--workload "$workload" --threads "$threads" --target-rate "$target_rate" --progress-interval 10s "${common[@]}")

if [ "$build" = 1 ]; then
  say "building (./mvnw -q -B -DskipTests package)"
  (cd "$root" && ./mvnw -q -B -DskipTests package) || fail "the build failed"
fi
(sleep "$max_time" && kill -TERM $$) 2>/dev/null &
watchdog=$!

# --- 1. three nodes, loaded ---------------------------------------------------------------------------------------

base=$(free_base_for 5 17500)
say "bin/partita local --nodes 3 --raft-groups $raft_groups on ports $base.. (replication factor 3, fsync on)"
start_local_cluster "$partita" "$data" "$base" "$raft_groups" "$out/partita-local.log" "$out/status-start.txt"
say "loading $records records of $value_size bytes (64 threads)"
bounded "$partita" bench --hosts "$hosts" --threads 64 --load --workload C --duration 100ms --warmup 0s \
  --timeout-ms 10000 --progress-interval 10s "${common[@]}" --json "$out/load.json" >"$out/load.txt" ||
  fail "the load failed (see $out/load.txt)"

# --- 2. baseline --------------------------------------------------------------------------------------------------

say "baseline: workload $workload, $threads threads at $target_rate ops/s, $baseline (+5s warm-up)"
bounded "$partita" bench --hosts "$hosts" "${paced[@]}" --duration "$baseline" --warmup 5s \
  --json "$out/baseline.json" >"$out/baseline.txt" || fail "the baseline run failed (see $out/baseline.txt)"

# --- 3. two more nodes, added under load --------------------------------------------------------------------------

for i in 4 5; do
  port=$(( base + 3 * (i - 1) ))
  mkdir -p "$data/n$i"
  # n1's configuration with n<i>'s id, ports and directory, and n1-n3 as seeds: it waits to join.
  python3 - "$data/n1/node.yaml" "$data/n$i/node.yaml" "n$i" "$port" "$data/n$i" \
    "127.0.0.1:$base" "127.0.0.1:$((base + 3))" "127.0.0.1:$((base + 6))" <<'PY'
import re, sys
src, dst, node_id, port, data_dir, *seeds = sys.argv[1:]
port = int(port)
out, skipping = [], False
for line in open(src).read().splitlines():
    if skipping and re.match(r"^\s+- ", line):
        continue
    skipping = False
    key = line.strip().split(":", 1)[0]
    indent = line[: len(line) - len(line.lstrip())]
    if line.startswith("node-id:"):
        line = f"node-id: {node_id}"
    elif line.startswith("data-dir:"):
        line = f"data-dir: {data_dir}"
    elif indent and key in ("client-port", "raft-port", "admin-port"):
        line = f"{indent}{key}: {port + ('client-port', 'raft-port', 'admin-port').index(key)}"
    elif line.startswith("seeds:"):
        out.append("seeds:")
        out.extend(f"  - {s}" for s in seeds)
        skipping = True
        continue
    out.append(line)
open(dst, "w").write("\n".join(out) + "\n")
PY
  # The log outside the data directory, whose size afterwards counts as bytes moved.
  "$partita" server --conf "$data/n$i/node.yaml" >"$out/n$i.log" 2>&1 &
  added_pids="$added_pids $!"
done
for i in 4 5; do
  port=$(( base + 3 * (i - 1) ))
  for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 1
  done
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { tail -20 "$out/n$i.log" >&2; fail "n$i does not listen"; }
done

"$partita" status --hosts "$hosts" --json >"$out/status-before.json" || fail "status before the add failed"
save_metrics before
du -sb "$data"/n1 "$data"/n2 "$data"/n3 >"$out/du-before.txt"

say "load windows of $window during the rebalance (workload $workload, $threads threads at $target_rate ops/s)"
rm -f "$out/.stop-load"
(
  w=1
  while [ ! -e "$out/.stop-load" ]; do
    start=$(now_ms)
    "$partita" bench --hosts "$hosts" "${paced[@]}" --duration "$window" --warmup 0s \
      --json "$out/during-$w.json" >"$out/during-$w.txt" 2>"$out/during-$w.err" || true
    echo "$w $start $(now_ms)" >>"$out/windows.txt"
    w=$((w + 1))
  done
) &
loop_pid=$!
sleep 2 # the first window's generator connects

t0=$(now_ms)
for i in 4 5; do
  "$partita" node add --hosts "$hosts" "127.0.0.1:$(( base + 3 * (i - 1) ))" >>"$out/node-add.txt" 2>&1 ||
    fail "node add of n$i failed (see $out/node-add.txt)"
done
cat "$out/node-add.txt" >&2

say "waiting until no move is in progress on any node for ${settle}s, with n4 and n5 hosting groups"
: >"$out/moves.txt"
last_moving=$t0
stable_since=""
while :; do
  now=$(now_ms)
  moving=$(metric_max partita_rebalance_moves_in_progress)
  hosted4=$(metric_of 4 partita_node_groups_hosted)
  hosted5=$(metric_of 5 partita_node_groups_hosted)
  echo "$(( now - t0 )) moves=$moving n4=$hosted4 n5=$hosted5" >>"$out/moves.txt"
  if [ "$moving" = 0 ] && [ "$hosted4" != - ] && [ "$hosted4" -gt 0 ] && [ "$hosted5" != - ] &&
     [ "$hosted5" -gt 0 ]; then
    [ -n "$stable_since" ] || stable_since=$now
    [ $(( now - stable_since )) -lt $(( settle * 1000 )) ] || break
  else
    stable_since=""
    last_moving=$now
  fi
  if [ $(( now - t0 )) -gt $(( rebalance_timeout * 1000 )) ]; then
    "$partita" status --hosts "$hosts" >"$out/status-stuck.txt" 2>&1 || true
    save_metrics stuck
    fail "the rebalance did not finish within ${rebalance_timeout}s (--rebalance-timeout): see $out/moves.txt," \
      "$out/status-stuck.txt and the node logs in $out"
  fi
  sleep 1
done
t1=$last_moving
echo "first-add-ms $t0 last-move-ms $t1" >"$out/rebalance-times.txt"
say "rebalanced $(( (t1 - t0) / 1000 )) s after the first node add"
touch "$out/.stop-load"
wait "$loop_pid" || true
loop_pid=""

"$partita" status --hosts "$hosts" --json >"$out/status-after.json" || true
"$partita" status --hosts "$hosts" >"$out/status-after.txt" 2>&1 || true
save_metrics after
du -sb "$data"/n1 "$data"/n2 "$data"/n3 "$data"/n4 "$data"/n5 >"$out/du-after.txt"

python3 - "$out" "$t0" "$t1" "$records" "$value_size" <<'PY'
import glob, json, os, re, sys
out, t0, t1, records, value_size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
nan = float("nan")
secs = (t1 - t0) / 1000

def groups(name):
    with open(os.path.join(out, name)) as f:
        return {g["group"]: set(g["replicas"]) for g in json.load(f)["groups"]}

before, after = groups("status-before.json"), groups("status-after.json")
replicas_moved = sum(len(after[g] - before.get(g, set())) for g in after)
groups_changed = sum(1 for g in after if after[g] != before.get(g))

def du(name):
    sizes = {}
    for line in open(os.path.join(out, name)):
        size, path = line.split()
        sizes[os.path.basename(path)] = int(size)
    return sizes

du_after = du("du-after.txt")
new_bytes = du_after.get("n4", 0) + du_after.get("n5", 0)

def metric(node, label, name):
    """Sum of every sample of `name` (any labels) in node's /metrics saved under label."""
    path = os.path.join(out, f"metrics-{label}-{node}.txt")
    if not os.path.exists(path):
        return 0.0
    total = 0.0
    for line in open(path):
        m = re.match(r"^(\w+)(\{[^}]*\})?\s+(\S+)", line)
        if m and m.group(1) == name:
            total += float(m.group(3))
    return total

def per_group(node, label, name):
    """{group: value} of the per-group metric `name` in node's /metrics saved under label."""
    path = os.path.join(out, f"metrics-{label}-{node}.txt")
    values = {}
    if os.path.exists(path):
        for line in open(path):
            m = re.match(r'^(\w+)\{[^}]*group="([^"]+)"[^}]*\}\s+(\S+)', line)
            if m and m.group(1) == name:
                values[m.group(2)] = float(m.group(3))
    return values

snapshot_bytes = log_bytes = 0.0
for node in ("n4", "n5"):
    installed = per_group(node, "after", "partita_raft_snapshots_installed")
    sizes = per_group(node, "after", "partita_raft_snapshot_bytes")
    snapshot_bytes += sum(sizes.get(g, 0) for g, n in installed.items() if n > 0)
    log_bytes += sum(per_group(node, "after", "partita_raft_log_bytes").values())
# The load spreads the records evenly over the groups (keys hash to partitions, partitions to groups).
record_bytes = replicas_moved * records / max(len(after), 1) * value_size
completed = sum(metric(f"n{i}", "after", "partita_rebalance_moves_completed_total")
                - metric(f"n{i}", "before", "partita_rebalance_moves_completed_total") for i in range(1, 6))

def p99s(path):
    with open(path) as f:
        r = json.load(f)
    ops = r["operations"]
    def ms(op):
        o = ops.get(op)
        v = o and o["latency-us"]["p99"]
        return nan if v is None else v / 1000
    t = ops["total"]
    return t["ops-per-second"], ms("total"), ms("read"), ms("update"), t["error-count"]

windows = []
if os.path.exists(os.path.join(out, "windows.txt")):
    for line in open(os.path.join(out, "windows.txt")):
        w, start, end = map(int, line.split())
        path = os.path.join(out, f"during-{w}.json")
        if os.path.exists(path) and start < t1:
            windows.append((w, (start - t0) / 1000, (end - t0) / 1000, p99s(path)))

mb = record_bytes / 1e6
print(f"rebalance 3 -> 5 nodes: {records:,} records x {value_size:,} B, replication factor 3, "
      f"{len(after)} raft groups")
print(f"  time from the first node add to the last move done   {secs:10.1f} s")
print(f"  replicas moved (groups changed)                      {replicas_moved:10d}   ({groups_changed} groups;"
      f" moves completed per the drivers' counters: {completed:.0f})")
print(f"  record bytes moved (replicas x records/group x size) {mb:10.1f} MB")
print(f"  on the new nodes: raft logs {log_bytes / 1e6:.1f} MB, snapshots installed {snapshot_bytes / 1e6:.1f} MB,"
      f" data directories {new_bytes / 1e6:.1f} MB")
print(f"  rebalance rate                                       {mb / secs if secs else nan:10.2f} MB/s"
      f"   {replicas_moved / secs * 60 if secs else nan:.1f} replicas (groups) per minute")
print()
print(f"  client latency (ms)            window (s)        ops/s   p99 all  p99 read  p99 upd  errors")
b = p99s(os.path.join(out, "baseline.json"))
print(f"  baseline (3 nodes, no moves)   {'':<16} {b[0]:>8,.0f} {b[1]:>9.2f} {b[2]:>9.2f} {b[3]:>8.2f} {b[4]:>7}")
for w, s, e, r in windows:
    print(f"  during rebalance #{w:<11} {s:>6.0f} .. {e:>6.0f} {r[0]:>8,.0f} {r[1]:>9.2f} {r[2]:>9.2f} {r[3]:>8.2f}"
          f" {r[4]:>7}")
if windows:
    worst = max(r[1] for _, _, _, r in windows)
    print(f"  worst window p99 / baseline p99: {worst / b[1] if b[1] else nan:.2f}x")
print(f"(raw outputs in {out})")
PY
