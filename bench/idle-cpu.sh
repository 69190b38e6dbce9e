#!/usr/bin/env bash
# bench/idle-cpu.sh: CPU that idle Raft groups cost. Starts `bin/partita local --nodes 3 --raft-groups G` (replication
# factor 3, so every node holds a replica of every group), waits until the cluster is healthy and settled, then
# measures each node process's CPU time over a window with no client traffic.
#
# Usage: bench/idle-cpu.sh [--groups 256] [--seconds 30] [--settle 60] [--dir DIR] [--no-build]
# Prints one line per node: CPU in % of one core, threads, resident memory. Needs Linux /proc.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
groups=256
seconds=30
settle=60
dir=""
build=1
die() { echo "idle-cpu.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --groups) groups=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[ -n "$dir" ] || dir=$(mktemp -d /tmp/partita-idle.XXXXXX)
if [ "$build" = 1 ]; then (cd "$root" && ./mvnw -q -B -DskipTests package); fi

base=17400
while (exec 3<>"/dev/tcp/127.0.0.1/$base") 2>/dev/null; do base=$((base + 9)); done
hosts="127.0.0.1:$base"
"$root/bin/partita" local --nodes 3 --raft-groups "$groups" --dir "$dir" --port "$base" > "$dir/local.log" 2>&1 &
local_pid=$!
# `|| true`: under set -e the wait for the stopped cluster (status 143) would end the script with that status.
trap 'kill -TERM $local_pid 2>/dev/null; wait $local_pid 2>/dev/null || true; rm -rf "$dir"/n*' EXIT INT TERM

start=$(date +%s)
until "$root/bin/partita" status --hosts "$hosts" >/dev/null 2>&1; do
  kill -0 "$local_pid" 2>/dev/null || { tail -20 "$dir/local.log" >&2; die "partita local exited"; }
  [ $(( $(date +%s) - start )) -lt 900 ] || die "the cluster was not healthy within 900 s"
  sleep 2
done
echo "cluster of 3 nodes with $groups groups healthy after $(( $(date +%s) - start )) s; settling ${settle} s" >&2
sleep "$settle"

hz=$(getconf CLK_TCK)
declare -A before
pids=()
for n in 1 2 3; do
  pid=$(cat "$dir/n$n/partita.pid")
  pids+=("$pid")
  before[$pid]=$(awk '{print $14 + $15}' "/proc/$pid/stat")
done
sleep "$seconds"
printf '%-4s %8s %12s %8s %9s\n' node pid "cpu % core" threads "rss MiB"

for i in 0 1 2; do
  pid=${pids[$i]}
  after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  pct=$(awk -v a="$after" -v b="${before[$pid]}" -v hz="$hz" -v s="$seconds" 'BEGIN {printf "%.1f", 100 * (a - b) / hz / s}')
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
  rss=$(awk '/^VmRSS:/ {printf "%d", $2 / 1024}' "/proc/$pid/status")
  printf 'n%-3s %8s %12s %8s %9s\n' $((i + 1)) "$pid" "$pct" "$threads" "$rss"
done
echo "($groups groups x 3 replicas, idle for $seconds s; election timeout from conf defaults)" >&2
