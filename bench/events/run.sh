#!/usr/bin/env bash
# EventBridge benchmark: PutEvents of one event that one rule's pattern matches (event-ruler), handed to a no-op
# Python function through the durable async queue. Prints PutEvents per second with p50/p99 (each answer comes once
# the event is matched and committed to the queue), then end-to-end events per second until the queue is empty.
# Usage: bash bench/events/run.sh        (env: DURATION=10, CONCURRENCY="1 8 64", WARMUP=15)
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DURATION="${DURATION:-10}"; CONCURRENCY="${CONCURRENCY:-1 8 64}"
source "$bench/../invoke/tools.sh"
source "$bench/../../tests/e2e/lib/server.sh"
start_server
url="$("$PYTHON" "$bench/setup.py" "$port" "$work/put-events.lua")"
queued() {
  python3 -c 'import sqlite3, sys; c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True, timeout=30)
print(c.execute("SELECT COUNT(*) FROM async_events").fetchone()[0])' "$work/data/kindling.db"
}
# Warm-up, not measured: a fresh server's JIT (event-ruler's matcher included) serves a fraction of its steady rate.
wrk -t2 -c8 -d"${WARMUP:-15}s" -s "$work/put-events.lua" "$url" >/dev/null
until [ "$(queued)" -eq 0 ]; do sleep 0.05; done
printf '%-6s %14s %10s %10s %14s\n' conc "PutEvents/s" "p50 ms" "p99 ms" "end-to-end/s"
for c in $CONCURRENCY; do
  threads=$(( c < 2 ? 1 : 2 ))
  started=$(date +%s.%N)
  out="$(wrk -t"$threads" -c"$c" -d"${DURATION}s" --latency -s "$work/put-events.lua" "$url")"
  until [ "$(queued)" -eq 0 ]; do sleep 0.05; done
  finished=$(date +%s.%N)
  sent=$(echo "$out" | awk '/requests in/ {print $1}')
  rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  e2e=$(python3 -c "print(round($sent / ($finished - $started)))")
  printf '%-6s %14s %10s %10s %14s%s\n' "$c" "$rate" "$p50" "$p99" "$e2e" "${non2xx:+  (non-2xx: $non2xx)}"
done
