# shellcheck shell=bash
# Shared by bench/compare.sh and bench/backup-restore.sh (sourced, not run): helpers for a 'partita local' cluster.

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
