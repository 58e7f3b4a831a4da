# Sourced by the end-to-end scripts: a scratch directory ($work), a Kindling server on a free port ($port,
# $server_pid) with its data in $work/data, fail() that shows the server's log, and cleanup on exit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
work="$(mktemp -d)"
server_pid=""
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""

# Stops the server (SIGTERM, then SIGKILL after 10 s) and removes the scratch directory; a script may define
# extra_cleanup for more.
cleanup() {
  if [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; then
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  if declare -F extra_cleanup >/dev/null; then extra_cleanup || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; [ -f "$work/server.log" ] && tail -n 30 "$work/server.log" >&2; exit 1; }

# wait_for SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds (status 0), or fails (status 1) once
# SECONDS have passed. Scripts wait for events this way, never for a fixed time, with generous deadlines: they
# run on a loaded 2-core machine.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# Starts the server in the background (with any extra server options given) and waits until it says it is ready.
# KINDLING_HOME (default: this checkout) selects another checkout's launcher, as bench/invoke/ab.sh does.
start_server() {
  : >"$work/server.log"
  "${KINDLING_HOME:-$here}/kindling" server --port "$port" --data-dir "$work/data" "$@" >"$work/server.log" 2>&1 &
  server_pid=$!
  wait_for 120 server_ready || fail "server did not start within 120 s"
}
# Stops the server the way an operator does (SIGTERM), waiting until it has exited.
stop_server() {
  kill "$server_pid" 2>/dev/null || return 0
  wait_for 60 server_gone || fail "server did not stop within 60 s"
  server_pid=""
}
server_gone() { ! kill -0 "$server_pid" 2>/dev/null; }
server_ready() {
  grep -q "Kindling is ready" "$work/server.log" 2>/dev/null && return 0
  kill -0 "$server_pid" 2>/dev/null || fail "server exited before it was ready"
  return 1
}
