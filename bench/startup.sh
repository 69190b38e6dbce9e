#!/usr/bin/env bash
# bench/startup.sh: how long a node takes from process start to ready (/ready answers 200), 16 groups by default.
#
# Usage: bench/startup.sh [--runs 3] [--down 1] [--raft-groups 16] [--port 7600] [--out DIR] [--no-build]
#
#   fresh    'partita local --nodes 3' on an empty directory: ms from the command's start until all three nodes are
#            ready (JVMs, cluster init, every group created and led). Repeated --runs times.
#   restart  in a running 3-node cluster, node n2 is stopped (SIGTERM), left down for --down seconds, and started
#            again with the command line 'partita local' gives it (its class-data archive included once recorded):
#            ms from process start to ready, and the CPU the process used until then (from /proc). The first
#            restart records the archive and is not counted; then --runs restarts.
# Prints one line per run and the median of each kind, with the load average.
# Exit codes: 0 done, 1 a node failed to get ready within 120 s, 2 bad options.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
partita="$root/bin/partita"
runs=3
down=1
groups=16
port=7600
out=""
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --down) down=$2; shift 2 ;;
    --raft-groups) groups=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "startup.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
# shellcheck source=local-cluster-lib.sh
. "$here/local-cluster-lib.sh"
[ -n "$out" ] || out=$(mktemp -d /tmp/partita-startup.XXXXXX)
mkdir -p "$out"
if [ $build = 1 ]; then
  (cd "$root" && ./mvnw -B -q -DskipTests package)
fi

local_pid=""
node_pid=""
cleanup() {
  [ -n "$node_pid" ] && kill -TERM "$node_pid" 2>/dev/null || true
  if [ -n "$local_pid" ]; then kill -TERM "$local_pid" 2>/dev/null || true; wait "$local_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/ready" || true)" = 200 ]; }
# await_ready ADMIN_PORT START_MS: waits for /ready 200 (120 s at most), prints ms since START_MS.
await_ready() {
  while ! ready "$1"; do
    [ $(( $(now_ms) - $2 )) -lt 120000 ] || { echo "startup.sh: node on admin port $1 not ready in 120 s" >&2; exit 1; }
    sleep 0.05
  done
  echo $(( $(now_ms) - $2 ))
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
load() { cut -d' ' -f1 /proc/loadavg; }

base=$(free_base "$port")
fresh=""
for i in $(seq 1 "$runs"); do
  dir="$out/fresh-$i"
  t0=$(now_ms)
  "$partita" local --nodes 3 --raft-groups "$groups" --dir "$dir" --port "$base" >"$dir.log" 2>&1 &
  local_pid=$!
  ms=0
  for n in 0 1 2; do ms=$(await_ready $((base + 3 * n + 2)) "$t0"); done
  echo "fresh   run $i: all 3 nodes ready after $ms ms (load $(load))"
  fresh="$fresh $ms"
  kill -TERM "$local_pid"; wait "$local_pid" 2>/dev/null || true; local_pid=""
done

# The restarts run in the last fresh cluster, started again.
dir="$out/fresh-$runs"
"$partita" local --dir "$dir" >"$dir.restart.log" 2>&1 &
local_pid=$!
t0=$(now_ms)
for n in 0 1 2; do await_ready $((base + 3 * n + 2)) "$t0" >/dev/null; done
admin=$((base + 5))
cp="$(ls "$root"/tools/target/partita-tools-*.jar | grep -v -- '-sources\|-javadoc\|-tests' | head -1):$root/tools/target/lib/*"
restarts=""
cpus=""
for i in $(seq 0 "$runs"); do
  sleep 3
  pid=$(cat "$dir/n2/partita.pid")
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  sleep 0.5 # 'partita local' keeps the archive n2 recorded once it sees the clean exit
  sleep "$down"
  archive=$(ls "$dir"/n2/cds-*.jsa 2>/dev/null | head -1 || true)
  opts=()
  [ -n "$archive" ] && opts=("-XX:SharedArchiveFile=$archive" "-Xlog:cds=off,cds+dynamic=off")
  t0=$(now_ms)
  (cd "$dir/n2" && exec java -Xmx1g "${opts[@]}" -cp "$cp" io.partita.server.PartitaServerMain \
      --conf "$dir/n2/node.yaml" >>node.log 2>&1 </dev/null) &
  node_pid=$!
  echo "$node_pid" >"$dir/n2/partita.pid"
  ms=$(await_ready "$admin" "$t0")
  cpu=$(awk '{print ($14 + $15) * 10}' "/proc/$node_pid/stat")
  if [ "$i" = 0 ]; then
    echo "restart warm-up: n2 ready after $ms ms (class-data archive: ${archive:-none})"
  else
    echo "restart run $i: n2 ready after $ms ms, $cpu ms CPU (down ${down}s, archive: $([ -n "$archive" ] && echo yes || echo no), load $(load))"
    restarts="$restarts $ms"
    cpus="$cpus $cpu"
  fi
done
echo "median: fresh $(echo "$fresh" | median) ms; restart $(echo "$restarts" | median) ms, $(echo "$cpus" | median) ms CPU"
