#!/usr/bin/env bash
# Where the CPU of warm invocations goes, window by window: the server's share and the runtime processes' share
# (user and system time) per invocation, while wrk drives one no-op function at one concurrency.
# Shows how a runtime's cost per invocation changes as its environments warm up (a JIT tiering up, for example).
# Usage: bash bench/invoke/cpu-split.sh [RUNTIME] [CONCURRENCY] [WINDOWS]   (defaults: nodejs20.x 64 6; env WINDOW=8)
# RUNTIME is one of the no-op functions of bench.py: python3.12, nodejs20.x.
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNTIME="${1:-nodejs20.x}"; CONCURRENCY="${2:-64}"; WINDOWS="${3:-6}"; WINDOW="${WINDOW:-8}"
source "$bench/tools.sh"
hz=$(getconf CLK_TCK)

# $work, $port, $server_pid, start_server and cleanup on exit; it sets $here to the repository's root.
source "$bench/../../tests/e2e/lib/server.sh"
start_server
# The launcher execs java, so the server's pid is the JVM's.
"$PYTHON" "$bench/bench.py" setup "$port" "$work" >"$work/fns"
url="$(awk -v rt="$RUNTIME" '$1==rt {print $3}' "$work/fns")"
name="$(awk -v rt="$RUNTIME" '$1==rt {print $2}' "$work/fns")"
[ -n "$url" ] || { echo "unknown runtime $RUNTIME (known: $(awk '{print $1}' "$work/fns" | xargs))" >&2; exit 2; }

# utime and stime (clock ticks) of one process, and summed over the server's descendants.
ticks() { awk '{print $14, $15}' "/proc/$1/stat" 2>/dev/null || echo "0 0"; }
descendants() {
  local p
  for p in $(pgrep -P "$1"); do echo "$p"; descendants "$p"; done
}
runtime_ticks() {
  local u=0 s=0 pid a b
  for pid in $(descendants "$server_pid"); do
    read -r a b < <(ticks "$pid"); u=$((u + a)); s=$((s + b))
  done
  echo "$u $s"
}

echo "--- warming the server up (15s, the other no-op function)"
other="$(awk -v rt="$RUNTIME" '$1!=rt && $1!="" {print $2, $3; exit}' "$work/fns")"
wrk -t2 -c8 -d15s -s "$work/${other%% *}.lua" "${other#* }" >/dev/null
printf '%-6s %10s %14s %14s %14s %14s %12s %6s\n' window 'inv/s' 'server usr ms' 'server sys ms' 'runtime usr ms' \
  'runtime sys ms' 'machine ms' procs
for w in $(seq 1 "$WINDOWS"); do
  read -r su ss < <(ticks "$server_pid"); read -r ru rs < <(runtime_ticks)
  m0=$(awk '/^cpu /{print $2+$3+$4+$6+$7+$8}' /proc/stat)
  out="$(wrk -t2 -c"$CONCURRENCY" -d"${WINDOW}s" -s "$work/$name.lua" "$url")"
  read -r su2 ss2 < <(ticks "$server_pid"); read -r ru2 rs2 < <(runtime_ticks)
  m1=$(awk '/^cpu /{print $2+$3+$4+$6+$7+$8}' /proc/stat)
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  procs=$(descendants "$server_pid" | wc -l)
  awk -v w="$w" -v n="$n" -v rps="$rps" -v hz="$hz" -v procs="$procs" \
      -v su=$(( su2 - su )) -v ss=$(( ss2 - ss )) -v ru=$(( ru2 - ru )) -v rs=$(( rs2 - rs )) -v m=$(( m1 - m0 )) \
      'BEGIN { k = 1000 / hz / n
               printf "%-6s %10s %14.3f %14.3f %14.3f %14.3f %12.3f %6s\n", w, rps, su*k, ss*k, ru*k, rs*k, m*k, procs }'
done
echo "(CPU milliseconds per invocation; 'machine' counts every busy tick, wrk's included; procs: processes under the server)"
