#!/usr/bin/env bash
# What clients pay when one node of a 3-node local cluster is stopped with SIGTERM under load, with and without the
# node's leadership hand-off (config key stop-hand-off).
#
#   bench/stop-node.sh HAND_OFF BASE_PORT      e.g. bench/stop-node.sh 10s 24800; bench/stop-node.sh 0s 24900
#
# Creates a cluster with `partita local --nodes 3` in /tmp/partita-stop-node-HAND_OFF-BASE_PORT, sets stop-hand-off
# on every node, loads 10,000 records, runs workload A paced at 300 ops/s (8 threads, latency from each operation's
# intended start, so a stall counts in full), and 8 s into the 25 s run sends SIGTERM to n1 (which leads 2 of the 6
# groups). Prints how long n1 took to stop, its hand-off lines and the load generator's report. Needs a built tree
# (./mvnw -B -DskipTests install).
set -u
handoff=${1:?usage: bench/stop-node.sh HAND_OFF BASE_PORT}
port=${2:?usage: bench/stop-node.sh HAND_OFF BASE_PORT}
root="$(cd "$(dirname "$0")/.." && pwd)"
dir=/tmp/partita-stop-node-$handoff-$port
cd "$root"
rm -rf "$dir" "$dir".*
bin/partita local --nodes 3 --dir "$dir" --port "$port" >"$dir.local1" 2>&1 &
lp=$!
for _ in $(seq 1 240); do grep -q "Press Ctrl-C" "$dir.local1" 2>/dev/null && break; sleep 0.5; done
kill -TERM $lp
wait $lp
# partita local writes stop-hand-off: 0s (its nodes stop together); this measurement stops one node.
sed -i "s/^stop-hand-off: .*/stop-hand-off: $handoff/" "$dir"/n*/node.yaml
bin/partita local --nodes 3 --dir "$dir" >"$dir.local2" 2>&1 &
lp=$!
for _ in $(seq 1 240); do grep -q "Press Ctrl-C" "$dir.local2" 2>/dev/null && break; sleep 0.5; done
hosts="127.0.0.1:$port,127.0.0.1:$((port + 3)),127.0.0.1:$((port + 6))"
bin/partita bench --hosts "$hosts" --keys 10000 --load --workload A --threads 8 --target-rate 300 --duration 25s \
  --warmup 3s --timeout-ms 5000 >"$dir.bench" 2>&1 &
bp=$!
for _ in $(seq 1 600); do grep -q "^run  *5.0s" "$dir.bench" 2>/dev/null && break; sleep 0.2; done
sleep 3
n1=$(cat "$dir/n1/partita.pid")
t0=$(date +%s.%N)
kill -TERM "$n1"
while kill -0 "$n1" 2>/dev/null; do sleep 0.05; done
t1=$(date +%s.%N)
echo "stop-hand-off $handoff: n1 stopped $(echo "$t1 - $t0" | bc) s after SIGTERM"
wait $bp
kill -TERM $lp
wait $lp
grep -h "Handed\|Kept" "$dir/n1/node.log"
grep -v "^load \|^run  " "$dir.bench"
