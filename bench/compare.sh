#!/usr/bin/env bash
# bench/compare.sh: Partita (3 nodes, replication factor 3, fsync on) against a 3-member etcd cluster, on this
# machine, in one run, with the same load generator, workload, value size, key count and thread counts.
#
# Usage: bench/compare.sh [--threads "1 16 64"] [--duration 30s] [--warmup 5s] [--keys 100000]
#                         [--value-size 100] [--read-percent 50] [--out DIR] [--no-build]
#
# Each system is started fresh on 127.0.0.1, loaded once (every key written), measured at each thread count, and
# stopped. The table on stdout has ops/s, p50 and p99 per system and thread count and the Partita/etcd ratio; the
# raw reports (text and JSON) stay in DIR (default: a new directory under /tmp). Needs python3 for the summary;
# installs Debian's etcd-server if missing (through bench/etcd-cluster.sh).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
partita="$root/bin/partita"

threads="1 16 64"
duration=30s
warmup=5s
keys=100000
value_size=100
read_percent=50
out=""
build=1

die() { echo "compare.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --keys) keys=$2; shift 2 ;;
    --value-size) value_size=$2; shift 2 ;;
    --read-percent) read_percent=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
command -v python3 >/dev/null || die "python3 is needed for the summary table"
[ -n "$out" ] || out=$(mktemp -d /tmp/partita-compare.XXXXXX)
mkdir -p "$out"

local_pid=""
etcd_dir="$out/etcd"
cleanup() {
  if [ -n "$local_pid" ] && kill -0 "$local_pid" 2>/dev/null; then
    kill -TERM "$local_pid" 2>/dev/null || true
    wait "$local_pid" 2>/dev/null || true
  fi
  "$here/etcd-cluster.sh" stop "$etcd_dir" >/dev/null 2>&1 || true
  rm -rf "$out/partita-data"
}
trap cleanup EXIT INT TERM

free_base() { # nine consecutive free ports from $1 upwards
  local base=$1
  while :; do
    local ok=1
    for p in $(seq "$base" $((base + 8))); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then ok=0; break; fi
    done
    [ $ok = 1 ] && { echo "$base"; return; }
    base=$((base + 9))
  done
}

# run_bench TARGET HOSTS NAME: load every key once (64 threads, not measured), then one measured run per thread count.
run_bench() {
  local target=$1 hosts=$2 name=$3
  echo "== $name: loading $keys keys" >&2
  "$partita" bench --target "$target" --hosts "$hosts" --threads 64 --load --duration 1s --warmup 0s \
    --keys "$keys" --value-size "$value_size" --read-percent "$read_percent" --seed 1 > "$out/$name-load.txt"
  for t in $threads; do
    echo "== $name, $t threads" >&2
    "$partita" bench --target "$target" --hosts "$hosts" --threads "$t" --duration "$duration" --warmup "$warmup" \
      --keys "$keys" --value-size "$value_size" --read-percent "$read_percent" --seed 1 --progress-interval 10s \
      --json "$out/$name-$t.json" > "$out/$name-$t.txt"
  done
}

# Measure what is checked out: build the jars first (bin/partita alone only builds when they are missing).
if [ "$build" = 1 ]; then
  echo "== building (./mvnw -q -B -DskipTests package)" >&2
  (cd "$root" && ./mvnw -q -B -DskipTests package)
fi

echo "== Partita: bin/partita local --nodes 3 (replication factor 3, fsync on)" >&2
base=$(free_base 17300)
"$partita" local --nodes 3 --dir "$out/partita-data" --port "$base" > "$out/partita-local.log" 2>&1 &
local_pid=$!
hosts="127.0.0.1:$base,127.0.0.1:$((base + 3)),127.0.0.1:$((base + 6))"
for _ in $(seq 1 180); do
  "$partita" status --hosts "$hosts" >/dev/null 2>&1 && break
  kill -0 "$local_pid" 2>/dev/null || { cat "$out/partita-local.log" >&2; die "partita local exited"; }
  sleep 1
done
"$partita" status --hosts "$hosts" > "$out/partita-status.txt" || die "the Partita cluster is not healthy"
run_bench partita "$hosts" partita
kill -TERM "$local_pid"; wait "$local_pid" 2>/dev/null || true; local_pid=""

echo "== etcd: bench/etcd-cluster.sh (3 members, fsync on)" >&2
etcd_hosts=$("$here/etcd-cluster.sh" start "$etcd_dir")
etcd --version 2>/dev/null | head -1 > "$out/etcd-version.txt" || true
run_bench etcd "$etcd_hosts" etcd
"$here/etcd-cluster.sh" stop "$etcd_dir" >/dev/null

python3 - "$out" "$threads" <<'PY'
import json, sys, os
out, threads = sys.argv[1], sys.argv[2].split()
def row(name, t):
    with open(os.path.join(out, f"{name}-{t}.json")) as f:
        r = json.load(f)
    total = r["operations"]["total"]
    lat = total["latency-us"]
    errors = sum(op["error-count"] for k, op in r["operations"].items() if k != "total")
    return total["ops-per-second"], lat["p50"] / 1000, lat["p99"] / 1000, errors
print(f"{'threads':>7}  {'Partita ops/s':>13} {'p50 ms':>7} {'p99 ms':>7}   {'etcd ops/s':>10} {'p50 ms':>7} {'p99 ms':>7}   {'ops ratio':>9} {'p99 ratio':>9}")
for t in threads:
    p, e = row("partita", t), row("etcd", t)
    print(f"{t:>7}  {p[0]:>13,.0f} {p[1]:>7.2f} {p[2]:>7.2f}   {e[0]:>10,.0f} {e[1]:>7.2f} {e[2]:>7.2f}   {p[0]/e[0]:>8.2f}x {p[2]/e[2]:>8.2f}x"
          + ("" if p[3] == 0 and e[3] == 0 else f"   errors: Partita {p[3]}, etcd {e[3]}"))
print(f"(ratios are Partita / etcd; reports in {out})")
PY
