#!/usr/bin/env bash
# preStop hook of a Partita pod (deploy/kubernetes runs it before the pod gets SIGTERM).
#
# 1. Asks the Kubernetes API whether the pod is being removed by a scale-down (its ordinal is not below the
#    StatefulSet's spec.replicas: `partita kube scaling-down`). If so, it drains the node: `partita node decommission
#    --wait` moves every replica it holds to the other nodes, one new copy caught up before the old one goes, and
#    returns once the node has left the cluster plan. It then marks the volume DRAINED (entrypoint.sh starts afresh
#    on it). The cluster refuses the drain if the other nodes could not hold every group's replication factor: the
#    pod then stops undrained (its volume keeps its replicas; the groups run one copy short until it is back) and
#    this script exits 1, so that Kubernetes reports the refusal as a FailedPreStopHook event.
# 2. Any other stop (rolling update, eviction, deleted pod) comes back with the same name and volume: the node only
#    hands the leadership of its groups to followers (`partita node hand-off`), so that no group waits for an
#    election when it goes.
#
# Environment: POD_NAME, POD_NAMESPACE, PARTITA_STATEFULSET (see `partita kube scaling-down --help`),
# PARTITA_CLIENT_PORT [7300], PARTITA_LISTEN_ADDRESS [0.0.0.0], PARTITA_DATA_DIR [/var/lib/partita], PARTITA_PRESTOP_TIMEOUT_SECONDS [1500] (the drain's
# budget: keep the pod's terminationGracePeriodSeconds above it plus 60), PARTITA_PRESTOP_LOG [/proc/1/fd/1: the
# container's log, where the hook's own output is not shown]. With PARTITA_TLS_CA_DIR (see entrypoint.sh), the calls
# present the pod's node certificate, which the cluster allows to hand off and decommission with users on.
set -uo pipefail

# partita, data, local_host (where the node listens), and PARTITA_TLS_* with PARTITA_TLS_CA_DIR.
# shellcheck source=pod-env.sh
. "$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pod-env.sh"
client="$local_host:${PARTITA_CLIENT_PORT:-7300}"
budget="${PARTITA_PRESTOP_TIMEOUT_SECONDS:-1500}"
logfile="${PARTITA_PRESTOP_LOG:-/proc/1/fd/1}"

log() {
  local line="prestop: $*"
  echo "$line" >&2
  { echo "$line" >>"$logfile"; } 2>/dev/null || true
}
# Runs a partita command, its output to stderr and the log.
run() {
  local out rc=0
  out="$("$partita" "$@" 2>&1)" || rc=$?
  [ -n "$out" ] && while IFS= read -r line; do log "  $line"; done <<<"$out"
  return "$rc"
}

status=0
scale_rc=0
run kube scaling-down || scale_rc=$?
case "$scale_rc" in
  0)
    log "draining ${POD_NAME:-this node} before the pod goes away (at most ${budget}s)"
    drain_rc=0
    run node decommission --hosts "$client" "$POD_NAME" --wait --timeout "${budget}s" || drain_rc=$?
    if [ "$drain_rc" = 0 ]; then
      printf 'node %s drained on %s\n' "$POD_NAME" "$(date -u +%FT%TZ)" >"$data/DRAINED"
      log "drained: the node left the cluster; its volume holds nothing the cluster needs"
    elif [ "$drain_rc" = 2 ]; then
      log "scale-down refused by the cluster (above): the pod stops WITHOUT draining; its replicas stay on its" \
        "volume. Scale back up, or add a node before scaling down. Do not delete this pod's PVC."
      status=1
    else
      log "the drain did not finish (above); the node stays LEAVING and the cluster moves its replicas off it" \
        "without it. Do not delete this pod's PVC before 'partita status' shows the node gone."
      status=1
    fi
    ;;
  1) log "not a scale-down: the pod comes back with its volume; handing off leadership only" ;;
  *) log "cannot tell whether this is a scale-down (above): handing off leadership only, not draining"
     status=1 ;;
esac
run node hand-off --hosts "$client" --timeout 30s || true
exit "$status"
