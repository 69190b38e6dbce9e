#!/usr/bin/env bash
# bench/record-api.sh: the record API on a 3-node cluster (replication factor 3, fsync on): a batch get of N keys
# against the same keys read one by one and all at once, and full-scan throughput.
#
# Usage: bench/record-api.sh [--records 100000] [--value-size 1000] [--batch-size 100] [--rounds 300] [--out DIR]
#                            [--no-build]
#
# Starts bin/partita local --nodes 3, loads the records with the load generator (64 threads), then runs
# io.partita.bench.api.RecordApiBench and prints its table. Workload F (read-modify-write, one operate() call per
# operation on Partita) is run by bench/compare.sh --workloads F.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
partita="$root/bin/partita"

records=100000
value_size=1000
batch_size=100
rounds=300
out=""
build=1

fail() { echo "record-api.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records=$2; shift 2 ;;
    --value-size) value_size=$2; shift 2 ;;
    --batch-size) batch_size=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "record-api.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || out=$(mktemp -d /tmp/partita-record-api.XXXXXX)
mkdir -p "$out"

local_pid=""
cleanup() {
  if [ -n "$local_pid" ] && kill -0 "$local_pid" 2>/dev/null; then
    kill -TERM "$local_pid" 2>/dev/null || true
    wait "$local_pid" 2>/dev/null || true
  fi
  rm -rf "$out/partita-data"
}
trap cleanup EXIT INT TERM

# shellcheck source=local-cluster-lib.sh
. "$here/local-cluster-lib.sh"

if [ "$build" = 1 ]; then
  (cd "$root" && ./mvnw -q -B -DskipTests package) || fail "the build failed"
fi
start_local_cluster "$partita" "$out/partita-data" "$(free_base 17400)" auto "$out/partita-local.log" \
  "$out/partita-status.txt"
echo "== loading $records records of $value_size bytes" >&2
"$partita" bench --hosts "$hosts" --threads 64 --load --workload C --duration 100ms --warmup 0s \
  --records "$records" --value-size "$value_size" --bins 1 --seed 1 >"$out/load.txt" ||
  fail "the load failed (see $out/load.txt)"
bench_cp="$(echo "$root"/bench/target/partita-bench-*.jar):$root/bench/target/lib/*"
java -cp "$bench_cp" io.partita.bench.api.RecordApiBench --hosts "$hosts" --records "$records" \
  --batch-size "$batch_size" --rounds "$rounds" | tee "$out/record-api.txt"
