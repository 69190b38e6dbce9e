# shellcheck shell=bash
# Shared by bench/compare.sh, bench/profile.sh, bench/backup-restore.sh and bench/rebalance.sh (sourced, not run): helpers for a 'partita local' cluster.

# free_base PORT: the first of nine consecutive free loopback ports (three nodes x client, raft, admin) from PORT up.
free_base() {
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

# start_local_cluster PARTITA DIR PORT GROUPS LOG STATUS [secure]: starts `PARTITA local --nodes 3 --raft-groups
# GROUPS` on ports PORT.. with its data in DIR and output in LOG, waits (up to 180 s) until `status` answers, writes
# that answer to STATUS. Sets local_pid (the `partita local` process) and hosts (the three client addresses). With
# `secure`, the cluster runs TLS with client certificates and users (`local --secure`), and PARTITA_TLS_*,
# PARTITA_USER and PARTITA_PASSWORD (user admin) are exported for the commands and the load generator that talk to it
# (unset them with stop_tls_env). Calls `fail` (the sourcing
# script's) if the cluster exits or never answers.
start_local_cluster() {
  local partita=$1 dir=$2 port=$3 groups=$4 log=$5 status=$6 secure=${7:-}
  local flags=()
  if [ "$secure" = secure ]; then
    flags=(--secure)
    local tls
    tls="$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")/tls"
    export PARTITA_TLS_CA="$tls/ca.crt" PARTITA_TLS_CERT="$tls/client.crt" PARTITA_TLS_KEY="$tls/client.key"
  fi
  "$partita" local --nodes 3 --raft-groups "$groups" --dir "$dir" --port "$port" "${flags[@]}" >"$log" 2>&1 &
  local_pid=$!
  hosts="127.0.0.1:$port,127.0.0.1:$((port + 3)),127.0.0.1:$((port + 6))"
  for _ in $(seq 1 180); do
    "$partita" status --hosts "$hosts" >/dev/null 2>&1 && break
    kill -0 "$local_pid" 2>/dev/null || { cat "$log" >&2; fail "partita local exited"; }
    sleep 1
  done
  "$partita" status --hosts "$hosts" >"$status" || fail "the Partita cluster is not healthy"
  if [ "$secure" = secure ]; then
    local f
    for _ in $(seq 1 60); do
      f=$(ls "$dir"/n*/initial-admin-password 2>/dev/null | head -1)
      [ -n "$f" ] && break
      sleep 1
    done
    [ -n "$f" ] || fail "no node wrote the admin's initial password"
    export PARTITA_USER=admin PARTITA_PASSWORD="$(cat "$f")"
  fi
}

# stop_tls_env: forgets the TLS and user environment start_local_cluster ... secure exported.
stop_tls_env() {
  unset PARTITA_TLS_CA PARTITA_TLS_CERT PARTITA_TLS_KEY PARTITA_USER PARTITA_PASSWORD
}

# free_base_for NODES PORT: as free_base, for NODES nodes (3 x NODES consecutive free loopback ports from PORT up):
# room for a local cluster's nodes and for those a benchmark adds next to them (bench/rebalance.sh).
free_base_for() {
  local nodes=$1 base=$2
  while :; do
    local ok=1
    for p in $(seq "$base" $((base + 3 * nodes - 1))); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then ok=0; break; fi
    done
    [ $ok = 1 ] && { echo "$base"; return; }
    base=$((base + 3 * nodes))
  done
}
