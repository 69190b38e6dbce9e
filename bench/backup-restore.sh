#!/usr/bin/env bash
# bench/backup-restore.sh: restore, backup and verify throughput on a 3-node cluster (replication factor 3, fsync
# on), and the time for a node whose data directory was wiped to be whole again.
#
# Usage: bench/backup-restore.sh [--records 1000000] [--value-size 1000] [--parallel 4] [--out DIR] [--no-build]
#                                [--no-wipe]
#
# 1. writes a synthetic full backup of N records (one bin of --value-size random ASCII bytes; the load generator's
#    keys 0..N-1 in test/bench), without a cluster;
# 2. starts bin/partita local --nodes 3 and restores the backup into it (policy replace), timed;
# 3. backs the cluster up again (full), timed, and verifies that backup, timed;
# 4. kill -9 one node, deletes its data directory (keeps node.yaml), starts it again with the same node id, and
#    times until 'partita status' reports the cluster healthy (every replica caught up).
# Prints one table; the tools' own output stays in DIR (default: a new directory under /tmp).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
partita="$root/bin/partita"

records=1000000
value_size=1000
parallel=4
out=""
build=1
wipe=1

die() { echo "backup-restore.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records=$2; shift 2 ;;
    --value-size) value_size=$2; shift 2 ;;
    --parallel) parallel=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-wipe) wipe=0; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[ -n "$out" ] || out=$(mktemp -d /tmp/partita-backup-bench.XXXXXX)
mkdir -p "$out"
data="$out/partita-data"

local_pid=""
rejoined_pid=""
cleanup() {
  for p in $rejoined_pid $local_pid; do
    if kill -0 "$p" 2>/dev/null; then kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; fi
  done
  rm -rf "$data" "$out/synthetic" "$out/backup"
}
trap cleanup EXIT INT TERM

# shellcheck source=local-cluster-lib.sh
. "$here/local-cluster-lib.sh"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
await_healthy() { # await_healthy SECONDS: until 'partita status' exits 0
  for _ in $(seq 1 "$1"); do
    "$partita" status --hosts "$hosts" >/dev/null 2>&1 && return 0
    sleep 1
  done
  "$partita" status --hosts "$hosts" >&2 || true
  return 1
}

if [ "$build" = 1 ]; then
  echo "== building (./mvnw -q -B -DskipTests package)" >&2
  (cd "$root" && ./mvnw -q -B -DskipTests package)
fi
bench_cp="$(echo "$root"/bench/target/partita-bench-*.jar):$root/bench/target/lib/*"

echo "== writing a synthetic backup of $records records of $value_size bytes" >&2
java -cp "$bench_cp" io.partita.bench.backup.SyntheticBackup --to "$out/synthetic" --records "$records" \
  --value-size "$value_size" | tee "$out/synthetic.txt" >&2

echo "== bin/partita local --nodes 3 (replication factor 3, fsync on)" >&2
base=$(free_base 17400)
"$partita" local --nodes 3 --dir "$data" --port "$base" > "$out/partita-local.log" 2>&1 &
local_pid=$!
hosts="127.0.0.1:$base,127.0.0.1:$((base + 3)),127.0.0.1:$((base + 6))"
await_healthy 180 || die "the cluster did not become healthy (see $out/partita-local.log)"

echo "== restore" >&2
t0=$(now_ms)
"$partita" restore --hosts "$hosts" --from "$out/synthetic" --policy replace --parallel "$parallel" \
  > "$out/restore.txt" 2> "$out/restore-progress.txt"
restore_ms=$(( $(now_ms) - t0 ))
cat "$out/restore.txt" >&2

echo "== backup" >&2
t0=$(now_ms)
"$partita" backup --hosts "$hosts" --to "$out/backup" --parallel "$parallel" > "$out/backup.txt" \
  2> "$out/backup-progress.txt"
backup_ms=$(( $(now_ms) - t0 ))
cat "$out/backup.txt" >&2
du -sb "$out/backup" | cut -f1 > "$out/backup-bytes.txt"

t0=$(now_ms)
"$partita" backup verify "$out/backup" > "$out/verify.txt"
verify_ms=$(( $(now_ms) - t0 ))

rejoin_ms="-"
if [ "$wipe" = 1 ]; then
  echo "== wipe n2 and let it rejoin" >&2
  pid=$(cat "$data/n2/partita.pid")
  kill -9 "$pid"
  sleep 1
  find "$data/n2" -mindepth 1 -maxdepth 1 ! -name node.yaml -exec rm -rf {} +
  t0=$(now_ms)
  "$partita" server --conf "$data/n2/node.yaml" > "$out/n2-rejoin.log" 2>&1 &
  rejoined_pid=$!
  await_healthy 1800 || die "n2 did not catch up within 30 minutes (see $out/n2-rejoin.log)"
  rejoin_ms=$(( $(now_ms) - t0 ))
  # A snapshot for the record only: a node busy catching up may miss the 2 s deadline once more.
  "$partita" status --hosts "$hosts" > "$out/status-after-rejoin.txt" 2>&1 || true
fi

raw=$(( records * value_size ))
python3 - "$records" "$raw" "$restore_ms" "$backup_ms" "$verify_ms" "$rejoin_ms" "$(cat "$out/backup-bytes.txt")" <<'PY'
import sys
n, raw, restore, backup, verify, rejoin, on_disk = sys.argv[1:]
n, raw, on_disk = int(n), int(raw), int(on_disk)
def rate(secs):
    s = float(secs) / 1000
    return f"{s:8.1f} s  {n / s:>10,.0f} records/s  {raw / s / 1e6:7.1f} MB/s"
print(f"records: {n:,} x {raw // max(n, 1):,} B of values ({raw / 1e6:,.0f} MB); backup on disk {on_disk / 1e6:,.0f} MB")
print(f"restore (3 nodes, RF 3, write path):  {rate(restore)}")
print(f"backup (full, online):                {rate(backup)}")
print(f"backup verify (no cluster):           {rate(verify)}")
print(f"wiped node whole again:               " + (f"{float(rejoin) / 1000:8.1f} s" if rejoin != '-' else "not measured"))
PY
echo "(details in $out)"
