# Sourced by entrypoint.sh and prestop.sh (not run by itself): what both derive from the pod's environment, so that
# the hooks dial the node the way the entrypoint configured it. Sets:
#   partita    the CLI (PARTITA_HOME/bin/partita)
#   data       the pod's volume (PARTITA_DATA_DIR [/var/lib/partita])
#   local_host where the pod's own CLI calls reach its node: 127.0.0.1 when the node listens on every interface
#              (0.0.0.0, as in a pod), else PARTITA_LISTEN_ADDRESS
#   tls_ca_dir PARTITA_TLS_CA_DIR: the mounted CA (ca.crt, ca.key); empty = no TLS set up by these scripts
# and, with PARTITA_TLS_CA_DIR, exports PARTITA_TLS_CA, PARTITA_TLS_CERT and PARTITA_TLS_KEY for every `partita` call:
# the CA's certificate and the pod's node certificate (DATA/tls/POD_NAME.crt, issued by entrypoint.sh), which the
# cluster accepts for every administrative call (cluster init, hand-off, decommission), users on or not.

PARTITA_HOME="${PARTITA_HOME:-$(cd -P "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
partita="$PARTITA_HOME/bin/partita"
data="${PARTITA_DATA_DIR:-/var/lib/partita}"
case "${PARTITA_LISTEN_ADDRESS:-0.0.0.0}" in
  0.0.0.0 | :: | '') local_host=127.0.0.1 ;;
  *) local_host="$PARTITA_LISTEN_ADDRESS" ;;
esac
tls_ca_dir="${PARTITA_TLS_CA_DIR:-}"
if [ -n "$tls_ca_dir" ]; then
  export PARTITA_TLS_CA="$tls_ca_dir/ca.crt"
  export PARTITA_TLS_CERT="$data/tls/${POD_NAME:?POD_NAME is not set (the StatefulSet sets it from metadata.name)}.crt"
  export PARTITA_TLS_KEY="$data/tls/$POD_NAME.key"
fi
