#!/usr/bin/env bash
# Asynchronous invocation benchmark: how fast Kindling accepts Event invocations (each committed to disk, fsynced,
# before its 202) and how fast it runs them end to end, with a no-op Python function.
# Usage: bash bench/async/run.sh        (env: DURATION=10, CONCURRENCY="1 8 64")
# For each concurrency: wrk sends Events for DURATION seconds (202s per second, p50/p99 of accepting one); then the
# queue is watched until it is empty: end-to-end events per second = events accepted / (first sent .. last run).
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DURATION="${DURATION:-10}"; CONCURRENCY="${CONCURRENCY:-1 8 64}"
source "$bench/../invoke/tools.sh"
source "$bench/../../tests/e2e/lib/server.sh"
start_server
url="$("$PYTHON" "$bench/setup.py" "$port" "$work/event.lua")"
queued() {
  python3 -c 'import sqlite3, sys; c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True, timeout=30)
print(c.execute("SELECT COUNT(*) FROM async_events").fetchone()[0])' "$work/data/kindling.db"
}
printf '%-6s %12s %10s %10s %14s\n' conc "accepted/s" "p50 ms" "p99 ms" "end-to-end/s"
for c in $CONCURRENCY; do
  threads=$(( c < 2 ? 1 : 2 ))
  started=$(date +%s.%N)
  out="$(wrk -t"$threads" -c"$c" -d"${DURATION}s" --latency -s "$work/event.lua" "$url")"
  until [ "$(queued)" -eq 0 ]; do sleep 0.05; done
  finished=$(date +%s.%N)
  sent=$(echo "$out" | awk '/requests in/ {print $1}')
  rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  e2e=$(python3 -c "print(round($sent / ($finished - $started)))")
  printf '%-6s %12s %10s %10s %14s%s\n' "$c" "$rate" "$p50" "$p99" "$e2e" "${non2xx:+  (non-2xx: $non2xx)}"
done
