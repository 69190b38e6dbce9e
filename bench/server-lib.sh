# shellcheck shell=bash
# Shared by bench/redis-server.sh and bench/memcached.sh (sourced, not run): one server process on 127.0.0.1, with
# its pid in DIR/server.pid, its log in DIR/server.log and its address in DIR/endpoint. The sourcing script sets
# NAME (for messages), PACKAGE (the Debian package), BINARY (the command it provides) and DEFAULT_PORT; SERVICE
# (the systemd unit the package starts) when it is not named like the package. Also sourced by bench/etcd-cluster.sh
# for find_binary and install_package.

# The usage block of the sourcing script's header comment (lines USAGE_LINES, default 5-7) on stderr, exit 2.
usage() {
  sed -n "${USAGE_LINES:-5,7}p" "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

die() {
  echo "$NAME: $*" >&2
  exit 1
}

say() {
  echo "$NAME: $*" >&2
}

# The server binary: $<BINARY>_BIN-style override passed as $1, else the command on PATH, else /usr/bin/<binary>.
find_binary() {
  local override=$1
  if [ -n "$override" ]; then
    [ -x "$override" ] || die "$override is not an executable file"
    printf '%s\n' "$override"
  elif command -v "$BINARY" >/dev/null 2>&1; then
    command -v "$BINARY"
  elif [ -x "/usr/bin/$BINARY" ]; then
    printf '%s\n' "/usr/bin/$BINARY"
  else
    return 1
  fi
}

# Installs $PACKAGE with apt-get (root, or sudo without a password) and stops the service the package starts: it is
# not ours, and would take CPU from the benchmark.
install_package() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      die "$BINARY is not installed and installing it needs root: run 'sudo apt-get install -y $PACKAGE'"
    fi
  fi
  command -v apt-get >/dev/null 2>&1 || die "$BINARY is not installed and apt-get is not available"
  say "$BINARY not found: installing the Debian package $PACKAGE"
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$PACKAGE" >&2; then
    say "apt-get install failed; refreshing the package lists and trying once more"
    "${sudo[@]}" apt-get update -q >&2 || true
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$PACKAGE" >&2 ||
      die "could not install $PACKAGE with apt-get"
  fi
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    "${sudo[@]}" systemctl disable --now "${SERVICE:-$PACKAGE}.service" >&2 2>/dev/null || true
  fi
}

port_free() {
  local p=$1
  if command -v ss >/dev/null 2>&1; then
    [ -z "$(ss -Hltn "sport = :$p" 2>/dev/null)" ]
  elif (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    return 1 # something accepted the connection
  fi
}

# The requested port if it is free (else fail), or the first free one from DEFAULT_PORT up.
choose_port() {
  local requested=$1 p
  if [ -n "$requested" ]; then
    if ! [[ "$requested" =~ ^[0-9]+$ ]] || [ "$requested" -lt 1024 ] || [ "$requested" -gt 65535 ]; then
      die "--port must be a number in 1024..65535, got '$requested'"
    fi
    port_free "$requested" || die "port $requested is not free (see 'ss -ltn'); choose another --port"
    printf '%s\n' "$requested"
    return
  fi
  for ((p = DEFAULT_PORT; p < DEFAULT_PORT + 1000; p++)); do
    if port_free "$p"; then
      printf '%s\n' "$p"
      return
    fi
  done
  die "no free port found in $DEFAULT_PORT..$((DEFAULT_PORT + 1000)); pass --port"
}

# The pid in DIR/server.pid if that process is alive and runs $BINARY; else nothing (and status 1).
server_pid() {
  local pid
  pid=$(cat "$DIR/server.pid" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$BINARY" || return 1
  local stat
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ] || return 1 # a zombie has exited
  printf '%s\n' "$pid"
}

# Sends one line to 127.0.0.1:PORT and prints the first line of the answer (2 s budget).
ask() {
  local port=$1 line=$2
  # shellcheck disable=SC2016 # $0 and $1 are the inner shell's arguments
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" && printf "%s\r\n" "$1" >&3 && head -n 1 <&3' \
    "$port" "$line" 2>/dev/null | tr -d '\r'
}

# Starts "$@" in the background (log DIR/server.log, pid DIR/server.pid) and waits up to $START_TIMEOUT s for
# `healthy PORT` (defined by the sourcing script). Prints 127.0.0.1:PORT on success.
launch() {
  local port=$1
  shift
  nohup "$@" </dev/null >"$DIR/server.log" 2>&1 &
  echo $! >"$DIR/server.pid"
  printf '127.0.0.1:%s\n' "$port" >"$DIR/endpoint"
  local timeout=${START_TIMEOUT:-30} start=$SECONDS
  until healthy "$port"; do
    if ! server_pid >/dev/null; then
      tail -n 5 "$DIR/server.log" >&2 || true
      stop_server
      die "$BINARY exited during start-up (log: $DIR/server.log, tail above)"
    fi
    if [ $((SECONDS - start)) -ge "$timeout" ]; then
      stop_server
      die "$BINARY did not answer within ${timeout}s (log: $DIR/server.log)"
    fi
    sleep 0.1
  done
  cat "$DIR/endpoint"
}

# Stops our server (TERM, then KILL after 10 s) and deletes its data, pid and endpoint files. The log stays.
stop_server() {
  local pid waited
  if pid=$(server_pid); then
    kill -TERM "$pid" 2>/dev/null || true
    for ((waited = 0; waited < 100; waited++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "pid $pid did not stop within 10 s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf -- "${DIR:?}/data"
  rm -f -- "$DIR/server.pid" "$DIR/endpoint"
}

# The command line shared by both scripts: COMMAND DIR [--port N]; calls start_server PORT for start.
main() {
  [ $# -ge 2 ] || usage
  local command=$1 port=""
  DIR=$2
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in
      --port)
        [ $# -ge 2 ] || die "--port needs a value"
        port=$2
        shift 2
        ;;
      *) die "unknown argument '$1' (usage: $0 start|status|stop DIR [--port N])" ;;
    esac
  done
  [ -n "$DIR" ] || die "DIR must not be empty"
  [ -z "$port" ] || [ "$command" = start ] || die "--port only goes with start"
  case "$command" in
    start)
      mkdir -p -- "$DIR" || die "cannot create $DIR"
      DIR=$(cd -P -- "$DIR" && pwd)
      if server_pid >/dev/null; then
        local running
        running=$(cat "$DIR/endpoint" 2>/dev/null || true)
        if [ -n "$running" ] && healthy "${running##*:}"; then
          say "already running in $DIR"
          printf '%s\n' "$running"
          return 0
        fi
        die "a server in $DIR is running but does not answer: run '$0 stop $DIR' first"
      fi
      stop_server # leftovers of a server that died
      mkdir -p -- "$DIR/data"
      start_server "$(choose_port "$port")"
      ;;
    status)
      [ -d "$DIR" ] || die "$DIR does not exist"
      local pid endpoint
      endpoint=$(cat "$DIR/endpoint" 2>/dev/null) || { echo "not started in $DIR"; return 1; }
      if ! pid=$(server_pid); then
        echo "$endpoint NOT running (log: $DIR/server.log)"
        return 1
      fi
      if healthy "${endpoint##*:}"; then
        echo "pid $pid $endpoint healthy"
      else
        echo "pid $pid $endpoint NOT healthy"
        return 1
      fi
      ;;
    stop)
      if [ ! -d "$DIR" ]; then
        say "nothing to stop: $DIR does not exist"
        return 0
      fi
      DIR=$(cd -P -- "$DIR" && pwd)
      stop_server
      say "stopped; data deleted, log kept in $DIR/server.log"
      ;;
    *) usage ;;
  esac
}
