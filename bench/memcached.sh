#!/usr/bin/env bash
# A local memcached for `partita bench --target memcached` (see bench/README.md, "Driving Redis and memcached"): the
# in-memory upper bound of the comparison (no disk, no replication).
#
#   bench/memcached.sh start  DIR [--port N]   start it; prints its address, one line: 127.0.0.1:PORT
#   bench/memcached.sh status DIR              one line; exit 0 only if it runs and answers "version"
#   bench/memcached.sh stop   DIR              stop it (the log is kept)
#
# Listens on 127.0.0.1 (TCP only) on --port N (must be free) or the first free port from 21211 up. Memory:
# $MEMCACHED_MEMORY_MB (default 2048; 100,000 records of 1 KB need about 150 MB, and memcached evicts, i.e. reads
# miss, when it is full), worker threads: $MEMCACHED_THREADS (default 4). Log: DIR/server.log, pid: DIR/server.pid,
# address: DIR/endpoint.
#
# The binary: $MEMCACHED_BIN, else `memcached` on PATH, else the Debian package memcached is installed with apt-get
# (root, or sudo without a password) and its own service stopped. $START_TIMEOUT: seconds to wait for an answer
# (default 30). Exit codes: 0 ok, 1 failed (one line on stderr says why), 2 bad usage.
set -euo pipefail

# shellcheck disable=SC2034 # NAME, PACKAGE, BINARY and DEFAULT_PORT are read by server-lib.sh
NAME=memcached.sh
PACKAGE=memcached
BINARY=memcached
DEFAULT_PORT=21211
# shellcheck source=server-lib.sh
. "$(dirname "$0")/server-lib.sh"

healthy() {
  [[ "$(ask "$1" version)" == VERSION* ]]
}

start_server() {
  local port=$1 bin user=()
  if ! bin=$(find_binary "${MEMCACHED_BIN:-}"); then
    install_package
    bin=$(find_binary "") || die "$PACKAGE was installed but no $BINARY was found"
  fi
  # memcached refuses to run as root unless told which user to be.
  [ "$(id -u)" -ne 0 ] || user=(-u root)
  launch "$port" "$bin" -l 127.0.0.1 -p "$port" -U 0 -m "${MEMCACHED_MEMORY_MB:-2048}" -t "${MEMCACHED_THREADS:-4}" \
    "${user[@]}"
  say "running in $DIR ($("$bin" -V), ${MEMCACHED_MEMORY_MB:-2048} MB)"
}

main "$@"
