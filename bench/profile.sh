#!/usr/bin/env bash
# bench/profile.sh: where a 3-node local Partita cluster spends its CPU under a YCSB workload.
#
# Starts `bin/partita local --nodes 3 --raft-groups G` (replication factor 3, fsync on), loads --records records
# (64 threads), then runs the workload (closed loop, --threads) for --warmup + --duration. Inside the recorded run,
# after --profile-delay, it samples every node JVM with async-profiler for --profile-seconds (attached with
# `jcmd PID JVMTI.agent_load`, no restart, no JVM option) and snapshots each node's per-thread CPU time and context
# switches (/proc/PID/task/*/stat and status) at cluster start, after the load, and at both ends of the profile
# window; jstat -gcutil at the window's ends gives the GC counts. Then bench/profile-report.py prints: CPU by area
# (front-end gRPC/Netty, Ratis gRPC/Netty, Ratis log worker, state machine apply, GC, JIT...) per node and overall,
# cross-cutting costs (park/unpark, futex, metrics, RocksDB, protobuf, fsync...), CPU and context switches by
# thread-name group, JIT share during the load, the warm-up and the window, the top self-time frames and the most
# expensive call paths, in microseconds per operation (node CPU in the window / operations in the window).
# C2 compiles for minutes here (~25% of node CPU for the first ~4 min on 2 cores): for the steady state profile late
# in a long run, e.g. --duration 240s --profile-delay 180.
#
# Usage: bench/profile.sh [--out DIR] [--port BASE] [--workload A] [--records 10000] [--value-size 1000]
#                         [--threads 16] [--duration 60s] [--warmup 5s] [--profile-delay 10] [--profile-seconds 30]
#                         [--raft-groups auto] [--event cpu|itimer|ctimer] [--profiler PATH] [--no-build]
#
# --profiler: libasyncProfiler.so (linux-x64). Default: $ASYNC_PROFILER_LIB, else extracted from
# tools.profiler:async-profiler:4.1 (Maven Central; fetched with curl into ~/.cache/partita-profile once).
# --event cpu uses perf events (needs kernel.perf_event_paranoid <= 2 and no seccomp block); if the start fails it
# retries with itimer. --port: first of nine free loopback ports (default: the first free block from 17400).
# Outputs in DIR (default: a new /tmp/partita-profile.*): nN.collapsed (per node, thread name as the root frame; feed
# to flamegraph.pl or async-profiler's converter), nN-tasks-*.txt, nN-gc-*.txt, bench-*.txt/json, report.txt.
# Everything started is stopped on exit. Needs python3, jcmd, jstat (a JDK). Exit codes: 0 done, 1 failure, 2 options.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
partita="$root/bin/partita"

out=""
port=""
workload=A
records=10000
value_size=1000
threads=16
duration=60s
warmup=5s
delay=10
seconds=30
groups=auto
event=cpu
lib="${ASYNC_PROFILER_LIB:-}"
build=1
die() { echo "profile.sh: $*" >&2; exit 2; }
fail() { echo "profile.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --out|--port|--workload|--records|--value-size|--threads|--duration|--warmup|--profile-delay|--profile-seconds|--raft-groups|--event|--profiler)
      [ $# -ge 2 ] || die "$1 needs a value"
      case "$1" in
        --out) out=$2 ;; --port) port=$2 ;; --workload) workload=$2 ;; --records) records=$2 ;;
        --value-size) value_size=$2 ;; --threads) threads=$2 ;; --duration) duration=$2 ;; --warmup) warmup=$2 ;;
        --profile-delay) delay=$2 ;; --profile-seconds) seconds=$2 ;; --raft-groups) groups=$2 ;;
        --event) event=$2 ;; --profiler) lib=$2 ;;
      esac
      shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$groups" =~ ^([1-9][0-9]*|auto)$ ]] || die "--raft-groups must be a positive number or auto, got '$groups'"
for n in "$records" "$threads" "$delay" "$seconds"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "'$n' must be a positive number"
done
case "$event" in cpu|itimer|ctimer|wall) ;; *) die "--event must be cpu, itimer or ctimer" ;; esac
for c in python3 jcmd jstat; do command -v "$c" >/dev/null || die "$c is needed (python3 and a JDK)"; done

if [ -z "$lib" ]; then
  cache="$HOME/.cache/partita-profile"
  lib="$cache/async-profiler-4.1/linux-x64/libasyncProfiler.so"
  if [ ! -f "$lib" ]; then
    mkdir -p "$cache/async-profiler-4.1"
    curl -sSf -m 120 -o "$cache/async-profiler-4.1.jar" \
      https://repo1.maven.org/maven2/tools/profiler/async-profiler/4.1/async-profiler-4.1.jar ||
      fail "could not download async-profiler 4.1 from Maven Central (give --profiler PATH)"
    (cd "$cache/async-profiler-4.1" && unzip -q -o "$cache/async-profiler-4.1.jar" 'linux-x64/*') ||
      fail "could not extract libasyncProfiler.so"
  fi
fi
[ -f "$lib" ] || die "no async-profiler library at '$lib'"
lib=$(cd "$(dirname "$lib")" && pwd)/$(basename "$lib")

[ -n "$out" ] || out=$(mktemp -d /tmp/partita-profile.XXXXXX)
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ "$build" = 1 ]; then (cd "$root" && ./mvnw -q -B -DskipTests package) || fail "the build failed"; fi

# shellcheck source=local-cluster-lib.sh
. "$here/local-cluster-lib.sh"
[ -n "$port" ] || port=$(free_base 17400)

local_pid=""
bench_pid=""
node_pids=()
cleanup() {
  local code=$?
  trap - EXIT INT TERM
  [ -z "$bench_pid" ] || kill -TERM "$bench_pid" 2>/dev/null || true
  if [ -n "$local_pid" ] && kill -0 "$local_pid" 2>/dev/null; then
    kill -TERM "$local_pid" 2>/dev/null || true
    wait "$local_pid" 2>/dev/null || true
  fi
  # `partita local` stops its nodes; a node that outlived it is ours to stop.
  for p in "${node_pids[@]}"; do kill -0 "$p" 2>/dev/null && kill -TERM "$p" 2>/dev/null || true; done
  rm -rf "$out/data"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# snapshot TAG: every node's per-thread CPU (utime+stime, clock ticks), context switches and thread name, with the time in ms; and
# jstat -gcutil (GC counts and times).
snapshot() {
  python3 - "$out" "$1" "${node_pids[@]}" <<'PY'
import os, sys, time
out, tag, pids = sys.argv[1], sys.argv[2], sys.argv[3:]
for i, pid in enumerate(pids, 1):
    lines = ["# %d %d" % (time.time() * 1000, os.sysconf("SC_CLK_TCK"))]
    for tid in os.listdir("/proc/%s/task" % pid):
        try:
            s = open("/proc/%s/task/%s/stat" % (pid, tid)).read()
            st = open("/proc/%s/task/%s/status" % (pid, tid)).read()
        except OSError:
            continue  # the thread ended
        r = s[s.rindex(")") + 2:].split()  # the name may hold spaces and parentheses
        cs = sum(int(l.split()[1]) for l in st.splitlines()
                 if l.split(":")[0] in ("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"))
        lines.append("%s\t%d\t%d\t%s" % (tid, int(r[11]) + int(r[12]), cs, s[s.index("(") + 1:s.rindex(")")]))
    with open("%s/n%d-tasks-%s.txt" % (out, i, tag), "w") as f:
        f.write("\n".join(lines) + "\n")
PY
  local i=1 p
  for p in "${node_pids[@]}"; do
    jstat -gcutil "$p" >"$out/n$i-gc-$1.txt" 2>/dev/null || true
    i=$((i + 1))
  done
}

echo "== bin/partita local --nodes 3 --raft-groups $groups --port $port (output in $out)" >&2
start_local_cluster "$partita" "$out/data" "$port" "$groups" "$out/local.log" "$out/status-before.txt"
for i in 1 2 3; do
  p=$(cat "$out/data/n$i/partita.pid" 2>/dev/null || true)
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || fail "no pid file for node $i under $out/data/n$i"
  node_pids+=("$p")
done
pids=$(IFS=,; echo "${node_pids[*]}")
common=(--records "$records" --value-size "$value_size" --seed 1 --server-pids "$pids")
snapshot start

echo "== load: $records records, 64 threads" >&2
"$partita" bench --target partita --hosts "$hosts" --threads 64 --load --workload C --duration 100ms --warmup 0s \
  --progress-interval 10s "${common[@]}" --json "$out/bench-load.json" >"$out/bench-load.txt" ||
  fail "the load failed (see $out/bench-load.txt)"
snapshot loaded

echo "== workload $workload, $threads threads, $duration (+$warmup warm-up); profile after ${delay}s for ${seconds}s" >&2
"$partita" bench --target partita --hosts "$hosts" --threads "$threads" --workload "$workload" --duration "$duration" \
  --warmup "$warmup" --progress-interval 10s "${common[@]}" --json "$out/bench-run.json" >"$out/bench-run.txt" &
bench_pid=$!
warm_s=${warmup%s}; [[ "$warm_s" =~ ^[0-9]+$ ]] || warm_s=5
sleep $((warm_s + delay))

# agent EVENT ACTION: load async-profiler into every node with one command (start or stop).
agent() {
  local i=1 p ok=0
  for p in "${node_pids[@]}"; do
    case "$1" in
      start) args="start,event=$event,interval=1ms,threads" ;;
      stop) args="stop,collapsed,file=$out/n$i.collapsed" ;;
    esac
    # jcmd parses NAME=VALUE pairs itself: the quotes keep the agent's option string whole. The agent's own
    # messages go to the node's log; jcmd only relays its return code (0: done).
    if jcmd "$p" JVMTI.agent_load "$lib" "\"$args\"" >"$out/n$i-agent-$1.txt" 2>&1 &&
       grep -q "return code: 0" "$out/n$i-agent-$1.txt"; then ok=$((ok + 1)); fi
    i=$((i + 1))
  done
  [ "$ok" = "${#node_pids[@]}" ]
}
if ! agent start; then
  echo "profile.sh: async-profiler event '$event' failed ($(cat "$out/n1-agent-start.txt" | tr '\n' ' ')); retrying with itimer" >&2
  event=itimer
  agent start || fail "async-profiler could not start (see $out/n*-agent-start.txt)"
fi
echo "$event" >"$out/event.txt"
snapshot begin
sleep "$seconds"
snapshot end
agent stop || fail "async-profiler could not stop (see $out/n*-agent-stop.txt)"
echo "== profiled ${seconds}s with event $event; waiting for the run to end" >&2
wait "$bench_pid" || fail "the run failed (see $out/bench-run.txt)"
bench_pid=""
"$partita" status --hosts "$hosts" >"$out/status-after.txt" 2>&1 || true

python3 "$here/profile-report.py" "$out" | tee "$out/report.txt"
