#!/usr/bin/env bash
# A local Redis server for `partita bench --target redis` (see bench/README.md, "Driving Redis and memcached"),
# durable like Partita and etcd: every write is appended to the AOF and fsynced before Redis answers.
#
#   bench/redis-server.sh start  DIR [--port N]   start it; prints its address, one line: 127.0.0.1:PORT
#   bench/redis-server.sh status DIR              one line; exit 0 only if it runs and answers PING
#   bench/redis-server.sh stop   DIR              stop it, delete its data (the log is kept)
#
# Listens on 127.0.0.1 only, on --port N (must be free) or the first free port from 26379 up. Settings (written to
# DIR/redis.conf): appendonly yes, appendfsync always, no RDB snapshots (save ""), no memory limit. Data:
# DIR/data, log: DIR/server.log, pid: DIR/server.pid, address: DIR/endpoint. Each start begins with empty data.
#
# The binary: $REDIS_BIN, else `redis-server` on PATH, else the Debian package redis-server is installed with
# apt-get (root, or sudo without a password) and its own service stopped. $START_TIMEOUT: seconds to wait for PONG
# (default 30). Exit codes: 0 ok, 1 failed (one line on stderr says why), 2 bad usage.
set -euo pipefail

# shellcheck disable=SC2034 # NAME, PACKAGE, BINARY and DEFAULT_PORT are read by server-lib.sh
NAME=redis-server.sh
PACKAGE=redis-server
BINARY=redis-server
DEFAULT_PORT=26379
# shellcheck source=server-lib.sh
. "$(dirname "$0")/server-lib.sh"

healthy() {
  [ "$(ask "$1" PING)" = "+PONG" ]
}

start_server() {
  local port=$1 bin
  if ! bin=$(find_binary "${REDIS_BIN:-}"); then
    install_package
    bin=$(find_binary "") || die "$PACKAGE was installed but no $BINARY was found"
  fi
  cat >"$DIR/redis.conf" <<CONF
bind 127.0.0.1
port $port
protected-mode yes
daemonize no
dir $DIR/data
appendonly yes
appendfsync always
save ""
CONF
  launch "$port" "$bin" "$DIR/redis.conf"
  say "running in $DIR ($("$bin" --version | head -n 1 | cut -d' ' -f1-3), appendfsync always)"
}

main "$@"
