#!/usr/bin/env bash
# A local 3-member etcd cluster for `partita bench --target etcd` (see bench/README.md, "Driving etcd").
#
#   bench/etcd-cluster.sh start  DIR [--base-port N]   start it; prints the client endpoints, one line:
#                                                      127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3
#   bench/etcd-cluster.sh status DIR                   one line per member; exit 0 only if all three are healthy
#   bench/etcd-cluster.sh stop   DIR                   stop the members, delete their data (logs are kept)
#
# Members m1..m3 listen on 127.0.0.1 only. Member i (1..3) takes client port BASE+2(i-1) and peer port
# BASE+2(i-1)+1. Without --base-port the first BASE from 23790 up (in steps of 10) whose six ports are all free is
# used; with --base-port N the six ports must be free or start fails. Data: DIR/m<i>.data, logs: DIR/m<i>.log,
# pids: DIR/m<i>.pid, endpoints: DIR/endpoints. Every member fsyncs its WAL (etcd's default; nothing disables it).
# Each start uses a fresh cluster token and fresh data directories.
#
# The etcd binary: $ETCD_BIN, else `etcd` on PATH, else the Debian package etcd-server is installed with apt-get
# (root, or sudo without a password); the package's own etcd.service is then stopped and disabled. Extra etcd flags:
# $ETCD_EXTRA_ARGS (split on spaces). $ETCD_START_TIMEOUT: seconds to wait for health (default 30).
# Only stdout carries the endpoints line; everything else goes to stderr.
set -euo pipefail

MEMBERS=(m1 m2 m3)
DEFAULT_BASE=23790

# shellcheck disable=SC2034 # NAME, PACKAGE, BINARY, SERVICE and USAGE_LINES are read by server-lib.sh
NAME=etcd-cluster PACKAGE=etcd-server BINARY=etcd SERVICE=etcd USAGE_LINES=2,8
# shellcheck source=server-lib.sh
. "$(dirname "$0")/server-lib.sh"

# --- ports -------------------------------------------------------------------------------------------------------

ports_free() {
  local base=$1 p
  for ((p = base; p < base + 2 * ${#MEMBERS[@]}; p++)); do
    port_free "$p" || return 1
  done
}

choose_base() {
  local requested=$1 base
  if [ -n "$requested" ]; then
    if ! [[ "$requested" =~ ^[0-9]+$ ]] || [ "$requested" -lt 1024 ] || [ "$requested" -gt 65530 ]; then
      die "--base-port must be a number in 1024..65530, got '$requested'"
    fi
    ports_free "$requested" ||
      die "ports $requested..$((requested + 5)) are not all free (see 'ss -ltn'); choose another --base-port"
    printf '%s\n' "$requested"
    return
  fi
  for ((base = DEFAULT_BASE; base < DEFAULT_BASE + 1000; base += 10)); do
    if ports_free "$base"; then
      printf '%s\n' "$base"
      return
    fi
  done
  die "no six free ports found in $DEFAULT_BASE..$((DEFAULT_BASE + 1000)); pass --base-port"
}

# --- members -----------------------------------------------------------------------------------------------------

# The pid in DIR/<member>.pid if that process is alive and is the etcd of DIR/<member>.data (or a child this script
# has just started, which may not have exec'ed etcd yet); else nothing.
member_pid() {
  local m=$1 pid
  [ -f "$DIR/$m.pid" ] || return 1
  pid=$(cat "$DIR/$m.pid")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--data-dir $DIR/$m.data "; then
    # /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
    local stat state ppid
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    read -r state ppid _ <<<"$stat"
    [ "$ppid" = "$$" ] && [ "$state" != Z ] || return 1 # a zombie is a member that exited
  fi
  printf '%s\n' "$pid"
}

client_port() {
  local i=$1
  echo $((BASE + 2 * i))
}

http_get() {
  local port=$1 path=$2
  if command -v curl >/dev/null 2>&1; then
    curl -s -m 2 "http://127.0.0.1:$port$path" 2>/dev/null
  else
    # shellcheck disable=SC2016 # $0 and $1 are the inner shell's arguments
    timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" && printf "GET %s HTTP/1.0\r\n\r\n" "$1" >&3 && cat <&3' \
      "$port" "$path" 2>/dev/null
  fi
}

# Healthy = the member answers /health with "health":"true" (it has a leader and serves requests).
healthy() {
  http_get "$1" /health | grep -q '"health":"true"'
}

# Reads BASE back from DIR/endpoints (first client port).
load_base() {
  [ -f "$DIR/endpoints" ] || return 1
  local first
  first=$(cut -d, -f1 <"$DIR/endpoints")
  BASE=${first##*:}
  [[ "$BASE" =~ ^[0-9]+$ ]]
}

running_count() {
  local n=0 m
  for m in "${MEMBERS[@]}"; do
    if member_pid "$m" >/dev/null; then
      n=$((n + 1))
    fi
  done
  echo "$n"
}

all_healthy() {
  local i
  for i in "${!MEMBERS[@]}"; do
    member_pid "${MEMBERS[$i]}" >/dev/null && healthy "$(client_port "$i")" || return 1
  done
}

# Stops our members (TERM, then KILL after 10 s) and deletes their data, pids and endpoints. Logs stay.
stop_members() {
  local m pid pids=() waited
  for m in "${MEMBERS[@]}"; do
    if pid=$(member_pid "$m"); then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  for ((waited = 0; waited < 100 && ${#pids[@]} > 0; waited++)); do
    local alive=()
    for pid in "${pids[@]}"; do
      if kill -0 "$pid" 2>/dev/null; then
        alive+=("$pid")
      fi
    done
    pids=("${alive[@]+"${alive[@]}"}")
    [ ${#pids[@]} -eq 0 ] || sleep 0.1
  done
  for pid in "${pids[@]+"${pids[@]}"}"; do
    say "member pid $pid did not stop within 10 s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
  done
  for m in "${MEMBERS[@]}"; do
    rm -rf -- "${DIR:?}/$m.data"
    rm -f -- "$DIR/$m.pid"
  done
  rm -f -- "$DIR/endpoints"
}

# --- commands ----------------------------------------------------------------------------------------------------

cmd_start() {
  local requested_base=$1
  mkdir -p -- "$DIR" || die "cannot create $DIR"
  DIR=$(cd -P -- "$DIR" && pwd)

  local running
  running=$(running_count)
  if [ "$running" -gt 0 ]; then
    if load_base && all_healthy; then
      say "already running in $DIR"
      cat "$DIR/endpoints"
      return 0
    fi
    die "a cluster in $DIR is partly running or unhealthy ($running of ${#MEMBERS[@]} members up): run '$0 stop $DIR' first"
  fi
  stop_members # leftovers of a cluster that died: stale pids and data (a new cluster token needs fresh data)

  local etcd
  if ! etcd=$(find_binary "${ETCD_BIN:-}"); then
    install_package
    etcd=$(find_binary "${ETCD_BIN:-}") || die "etcd-server was installed but no etcd binary was found"
  fi

  BASE=$(choose_base "$requested_base")
  local token i m peers="" endpoints=""
  token="partita-bench-$(hostname 2>/dev/null || echo host)-$$-$(date +%s%N)"
  for i in "${!MEMBERS[@]}"; do
    peers+="${peers:+,}${MEMBERS[$i]}=http://127.0.0.1:$((BASE + 2 * i + 1))"
    endpoints+="${endpoints:+,}127.0.0.1:$(client_port "$i")"
  done

  # shellcheck disable=SC2206 # ETCD_EXTRA_ARGS is split on spaces on purpose
  local extra=(${ETCD_EXTRA_ARGS:-})
  for i in "${!MEMBERS[@]}"; do
    m=${MEMBERS[$i]}
    local cport=$((BASE + 2 * i)) pport=$((BASE + 2 * i + 1))
    nohup "$etcd" \
      --name "$m" \
      --data-dir "$DIR/$m.data" \
      --listen-client-urls "http://127.0.0.1:$cport" \
      --advertise-client-urls "http://127.0.0.1:$cport" \
      --listen-peer-urls "http://127.0.0.1:$pport" \
      --initial-advertise-peer-urls "http://127.0.0.1:$pport" \
      --initial-cluster "$peers" \
      --initial-cluster-token "$token" \
      --initial-cluster-state new \
      --logger zap --log-outputs stderr \
      "${extra[@]+"${extra[@]}"}" \
      </dev/null >"$DIR/$m.log" 2>&1 &
    echo $! >"$DIR/$m.pid"
  done
  printf '%s\n' "$endpoints" >"$DIR/endpoints"

  local timeout=${ETCD_START_TIMEOUT:-30} start=$SECONDS
  until all_healthy; do
    for m in "${MEMBERS[@]}"; do
      if ! member_pid "$m" >/dev/null; then
        tail -n 5 "$DIR/$m.log" >&2 || true
        stop_members
        die "member $m exited during start-up (log: $DIR/$m.log, tail above)"
      fi
    done
    if [ $((SECONDS - start)) -ge "$timeout" ]; then
      stop_members
      die "the cluster was not healthy after ${timeout}s (logs: $DIR/m*.log)"
    fi
    sleep 0.2
  done
  say "3 members healthy in $DIR ($("$etcd" --version 2>/dev/null | head -n 1), token $token)"
  printf '%s\n' "$endpoints"
}

cmd_status() {
  [ -d "$DIR" ] || die "$DIR does not exist"
  DIR=$(cd -P -- "$DIR" && pwd)
  if ! load_base; then
    echo "not started in $DIR"
    return 1
  fi
  local i m pid ok=0
  for i in "${!MEMBERS[@]}"; do
    m=${MEMBERS[$i]}
    local port
    port=$(client_port "$i")
    if pid=$(member_pid "$m"); then
      if healthy "$port"; then
        echo "$m pid $pid 127.0.0.1:$port healthy"
      else
        echo "$m pid $pid 127.0.0.1:$port NOT healthy"
        ok=1
      fi
    else
      echo "$m 127.0.0.1:$port NOT running (log: $DIR/$m.log)"
      ok=1
    fi
  done
  echo "endpoints $(cat "$DIR/endpoints")"
  return "$ok"
}

cmd_stop() {
  if [ ! -d "$DIR" ]; then
    say "nothing to stop: $DIR does not exist"
    return 0
  fi
  DIR=$(cd -P -- "$DIR" && pwd)
  local running
  running=$(running_count)
  stop_members
  say "stopped $running member(s) in $DIR; data deleted, logs kept in $DIR/m*.log"
}

[ $# -ge 2 ] || usage
command=$1
DIR=$2
shift 2
base_port=""
while [ $# -gt 0 ]; do
  case "$1" in
    --base-port)
      [ $# -ge 2 ] || die "--base-port needs a value"
      base_port=$2
      shift 2
      ;;
    *) die "unknown argument '$1' (usage: $0 start|status|stop DIR [--base-port N])" ;;
  esac
done
[ -n "$DIR" ] || die "DIR must not be empty"
BASE=$DEFAULT_BASE

case "$command" in
  start) cmd_start "$base_port" ;;
  status)
    [ -z "$base_port" ] || die "--base-port only goes with start"
    cmd_status
    ;;
  stop)
    [ -z "$base_port" ] || die "--base-port only goes with start"
    cmd_stop
    ;;
  *) usage ;;
esac
