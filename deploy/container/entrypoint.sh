#!/usr/bin/env bash
# Entry point of the Partita container (deploy/kubernetes runs it as the StatefulSet's command).
#
# Builds this pod's node config from the environment the StatefulSet gives it and runs the node in the foreground
# (exec, so that the node receives SIGTERM). A pod is its name and its volume, not its IP:
#   node-id            = the pod's name (partita-0, partita-1, ...)
#   advertise-address  = the pod's DNS name under the headless Service, which follows the pod to a new IP
#   seeds              = the DNS names of the first PARTITA_INITIAL_NODES pods (itself excluded)
#   auto-join: true    = a pod added by a scale-up asks a seed to add it; the cluster then rebalances onto it
# Pod 0, on its first start (no cluster plan on its volume), creates the cluster from the first
# PARTITA_INITIAL_NODES pods once they all answer: `partita cluster init`, which a node that already belongs to a
# cluster refuses, so it happens once.
#
# Environment (defaults in brackets):
#   POD_NAME (required), POD_NAMESPACE [default], PARTITA_STATEFULSET [POD_NAME without its -ORDINAL],
#   PARTITA_SERVICE [partita-peers] the headless Service, PARTITA_CLUSTER_DOMAIN [cluster.local],
#   PARTITA_INITIAL_NODES [3], PARTITA_CONF_TEMPLATE [/etc/partita/node.yaml] the cluster-wide keys (ConfigMap),
#   PARTITA_DATA_DIR [/var/lib/partita] the pod's volume, PARTITA_CLIENT_PORT [7300], PARTITA_RAFT_PORT [7301],
#   PARTITA_ADMIN_PORT [7302], PARTITA_LISTEN_ADDRESS [0.0.0.0], PARTITA_RACK [unset] or PARTITA_RACK_LABEL plus
#   NODE_NAME (the rack is that label of the Kubernetes node, e.g. topology.kubernetes.io/zone),
#   PARTITA_HOME [the directory above this script's deploy/], PARTITA_JAVA_OPTS (JVM options, see bin/partita).
# TLS and users (deploy/kubernetes/components/secure sets these):
#   PARTITA_TLS_CA_DIR [unset: no TLS] a directory holding the cluster's CA, ca.crt and ca.key (the Secret
#   partita-ca). When set: the script issues this pod's node certificate (CN = POD_NAME; names: its DNS name, the
#   client Service named as the StatefulSet, localhost, 127.0.0.1, PARTITA_LISTEN_ADDRESS) into DATA/tls/ at every
#   start and every 30 days while the node runs (valid a year), writes the tls: and security: sections (users and
#   roles on) and refuses a template that has them, and its own `partita` calls use that certificate (pod-env.sh).
#   PARTITA_TLS_CLIENT_AUTH [true]: whether clients must present a certificate from the CA too (tls.client-auth).
#   Without PARTITA_TLS_CA_DIR, a template may set tls: and security: itself (certificates you bring, mounted at
#   fixed paths); give the scripts PARTITA_TLS_CA, PARTITA_TLS_CERT and PARTITA_TLS_KEY for their calls then.
set -euo pipefail

# partita, data, local_host, tls_ca_dir, and PARTITA_TLS_* for our own calls with PARTITA_TLS_CA_DIR.
# shellcheck source=pod-env.sh
. "$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pod-env.sh"

die() {
  echo "entrypoint: $*" >&2
  exit 2
}
log() {
  echo "entrypoint: $*" >&2
}

: "${POD_NAME:?entrypoint: POD_NAME is not set (the StatefulSet sets it from metadata.name)}"
namespace="${POD_NAMESPACE:-default}"
service="${PARTITA_SERVICE:-partita-peers}"
domain="${PARTITA_CLUSTER_DOMAIN:-cluster.local}"
initial="${PARTITA_INITIAL_NODES:-3}"
template="${PARTITA_CONF_TEMPLATE:-/etc/partita/node.yaml}"
client_port="${PARTITA_CLIENT_PORT:-7300}"
raft_port="${PARTITA_RAFT_PORT:-7301}"
admin_port="${PARTITA_ADMIN_PORT:-7302}"
listen_address="${PARTITA_LISTEN_ADDRESS:-0.0.0.0}"

ordinal="${POD_NAME##*-}"
case "$ordinal" in
  '' | *[!0-9]*) die "POD_NAME '$POD_NAME' does not end in -ORDINAL: run me as a StatefulSet's pod" ;;
esac
set_name="${PARTITA_STATEFULSET:-${POD_NAME%-*}}"
case "$initial" in
  '' | *[!0-9]* | 0) die "PARTITA_INITIAL_NODES must be a positive number, not '$initial'" ;;
esac
[ -r "$template" ] || die "cannot read the config template $template (the ConfigMap's node.yaml)"
# The template holds the cluster-wide keys; the per-pod ones are written below and must not appear twice.
if grep -Eq '^(node-id|rack|listen|data-dir|seeds|auto-join):' "$template"; then
  die "$template sets a key this script writes for each pod (node-id, rack, listen, data-dir, seeds," \
    "auto-join): remove it from the ConfigMap"
fi
client_auth="${PARTITA_TLS_CLIENT_AUTH:-true}"
if [ -n "$tls_ca_dir" ]; then
  if grep -Eq '^(tls|security):' "$template"; then
    die "$template sets tls: or security:, which this script writes when PARTITA_TLS_CA_DIR is set: remove" \
      "them from the ConfigMap (or unset PARTITA_TLS_CA_DIR to configure TLS in the ConfigMap yourself)"
  fi
  case "$client_auth" in
    true | false) ;;
    *) die "PARTITA_TLS_CLIENT_AUTH must be true or false, not '$client_auth'" ;;
  esac
  for f in ca.crt ca.key; do
    [ -r "$tls_ca_dir/$f" ] || die "cannot read $tls_ca_dir/$f: PARTITA_TLS_CA_DIR must hold the cluster's CA" \
      "(the Secret partita-ca: 'partita tls ca --out ./tls', then 'kubectl create secret generic partita-ca" \
      "--from-file=./tls/ca.crt --from-file=./tls/ca.key')"
  done
fi

dns_name() {
  printf '%s-%s.%s.%s.svc.%s' "$set_name" "$1" "$service" "$namespace" "$domain"
}
self="$(dns_name "$ordinal")"

mkdir -p "$data"
# A pod removed by a scale-down that drained its node leaves this marker (prestop.sh): its node left the cluster and
# holds no replica, so what is on the volume is no one's data. Start afresh; auto-join makes it a new member.
if [ -f "$data/DRAINED" ]; then
  log "the volume belonged to a node that was drained and left the cluster ($(head -c 200 "$data/DRAINED"));" \
    "starting afresh as a new member"
  find "$data" -mindepth 1 -maxdepth 1 ! -name lost+found -exec rm -rf {} +
fi

# The pod's node certificate, issued from the mounted CA: CN = node id (how peers tell a node from a client), every
# name the node is dialed by. Issued anew at each start (no state to check: a changed name or a new CA is picked up)
# into a directory of its own, as `partita tls node` never overwrites, then renamed over the files the node reads;
# the node reloads replaced files, so renewing while it runs needs no restart.
issue_node_certificate() {
  local fresh="$data/tls/new"
  local hosts="$self,$POD_NAME.$service.$namespace.svc"
  hosts="$hosts,$set_name,$set_name.$namespace,$set_name.$namespace.svc,$set_name.$namespace.svc.$domain"
  hosts="$hosts,localhost,127.0.0.1"
  if [ "$local_host" != 127.0.0.1 ]; then
    hosts="$hosts,$local_host"
  fi
  rm -rf "$fresh" && mkdir -p "$fresh" && chmod 700 "$data/tls" "$fresh" || return 1
  "$partita" tls node --ca-dir "$tls_ca_dir" --out "$fresh" --node-id "$POD_NAME" --hosts "$hosts" >&2 || return 1
  mv -f "$fresh/$POD_NAME.key" "$PARTITA_TLS_KEY" && mv -f "$fresh/$POD_NAME.crt" "$PARTITA_TLS_CERT" \
    && rmdir "$fresh"
}
if [ -n "$tls_ca_dir" ]; then
  issue_node_certificate || die "cannot issue this pod's node certificate from $tls_ca_dir (see above)"
  log "node certificate $PARTITA_TLS_CERT issued from the CA in $tls_ca_dir"
fi

rack="${PARTITA_RACK:-}"
if [ -z "$rack" ] && [ -n "${PARTITA_RACK_LABEL:-}" ] && [ -n "${NODE_NAME:-}" ]; then
  if ! rack="$("$partita" kube node-label --node "$NODE_NAME" "$PARTITA_RACK_LABEL")"; then
    log "no rack: cannot read label $PARTITA_RACK_LABEL of node $NODE_NAME (see above); replicas are spread" \
      "over machines only"
    rack=""
  fi
fi

conf="$data/node.yaml"
{
  cat "$template"
  printf '\n# ---- Written by %s for pod %s at every start; edit the ConfigMap instead. ----\n' "$0" "$POD_NAME"
  printf 'node-id: %s\n' "$POD_NAME"
  if [ -n "$rack" ]; then
    printf 'rack: "%s"\n' "$rack"
  fi
  printf 'listen:\n  address: %s\n  advertise-address: %s\n' "$listen_address" "$self"
  printf '  client-port: %s\n  raft-port: %s\n  admin-port: %s\n' "$client_port" "$raft_port" "$admin_port"
  printf 'data-dir: %s/node\n' "$data"
  printf 'auto-join: true\nseeds:\n'
  seeds=0
  for ((i = 0; i < initial; i++)); do
    if [ "$i" != "$ordinal" ]; then
      printf '  - %s:%s\n' "$(dns_name "$i")" "$client_port"
      seeds=$((seeds + 1))
    fi
  done
  if [ "$seeds" = 0 ]; then
    printf '  []\n'
  fi
  if [ -n "$tls_ca_dir" ]; then
    printf 'tls:\n  enabled: true\n  cert-file: %s\n  key-file: %s\n' "$PARTITA_TLS_CERT" "$PARTITA_TLS_KEY"
    printf '  ca-file: %s\n  client-auth: %s\n' "$PARTITA_TLS_CA" "$client_auth"
    printf 'security:\n  enabled: true\n'
  fi
} >"$conf.tmp"
mv "$conf.tmp" "$conf"

# Pod 0's first start: create the cluster once the first pods all answer. Runs beside the node (started below).
create_cluster() {
  local hosts="" i rc
  for ((i = 0; i < initial; i++)); do
    hosts="$hosts${hosts:+,}$(dns_name "$i"):$client_port"
  done
  while true; do
    sleep 2
    rc=0
    "$partita" cluster init --hosts "$hosts" --timeout 30s >&2 || rc=$?
    case "$rc" in
      0) log "cluster created (or found) on $hosts"; return 0 ;;
      2) log "cluster init refused (see above): a pod already belongs to a cluster; this one joins it via its seeds"
         return 0 ;;
      *) ;; # not every pod answers yet: try again
    esac
  done
}
if [ "$ordinal" = 0 ] && [ ! -f "$data/node/cluster-plan.pb" ]; then
  log "no cluster plan on this volume: pod 0 creates the cluster once $initial pods answer"
  create_cluster &
fi

if [ -n "$tls_ca_dir" ]; then
  # A pod may run longer than its certificate is valid (a year): renew it well before, while the node runs.
  ( while sleep 2592000; do
      issue_node_certificate || log "cannot renew the node certificate (see above); trying again in 30 days"
    done ) &
  log "TLS and users are on. One of the first pods' nodes creates user admin and writes its first password to" \
    "$data/node/initial-admin-password: kubectl -n $namespace exec $set_name-N --" \
    "cat $data/node/initial-admin-password (N = 0..$((initial - 1))); log in, change it, delete the file"
fi
log "starting node $POD_NAME ($self, rack '${rack}') with $conf"
exec "$partita" server --conf "$conf"
