#!/usr/bin/env bash
# Function URL against direct Invoke, in one run on one server: the same no-op function (bench/invoke's compiled
# custom runtime, so the figures are Kindling's own overhead), called through its public URL (host-routed GET,
# payload 2.0 event, resource-policy check, response mapping) and through a SigV4-signed Invoke. wrk, after the
# server's JIT warm-up. Usage: bash bench/function-url/run.sh   (env: DURATION=10 WARMUP=2 CONCURRENCY="1 8"
# SERVER_WARMUP=15)
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DURATION="${DURATION:-10}"; WARMUP="${WARMUP:-2}"; CONCURRENCY="${CONCURRENCY:-1 8}"
source "$bench/../invoke/tools.sh"
source "$bench/../../tests/e2e/lib/server.sh"
start_server
echo "server ready on port $port"

gcc -O2 -o "$work/noop-bootstrap" "$bench/../invoke/noop-bootstrap.c"
export NOOP_BOOTSTRAP="$work/noop-bootstrap"
read -r invoke_url function_url < <("$PYTHON" "$bench/setup.py" "$port" "$work")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "$(awk -F'"' '/Host/ {print "Host: " $4}' "$work/url.lua")" "$function_url")
[ "$code" = 200 ] || fail "the function URL answers $code"

echo "--- warming the server up (${SERVER_WARMUP:-15}s)"
wrk -t2 -c8 -d"$(( ${SERVER_WARMUP:-15} / 2 ))s" -s "$work/invoke.lua" "$invoke_url" >/dev/null
wrk -t2 -c8 -d"$(( ${SERVER_WARMUP:-15} / 2 ))s" -s "$work/url.lua" "$function_url" >/dev/null
table=()
for c in $CONCURRENCY; do
  threads=$(( c < 2 ? 1 : 2 ))
  for path in invoke url; do
    target=$([ "$path" = invoke ] && echo "$invoke_url" || echo "$function_url")
    wrk -t"$threads" -c"$c" -d"${WARMUP}s" -s "$work/$path.lua" "$target" >/dev/null
    out="$(wrk -t"$threads" -c"$c" -d"${DURATION}s" --latency -s "$work/$path.lua" "$target")"
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    table+=("$(printf '%-14s %4s %12s %10s %10s %8s' "$path" "$c" "$rps" "$p50" "$p99" "${non2xx:-0}")")
  done
done
echo
echo "== No-op function, direct Invoke vs function URL (wrk, ${DURATION}s each after ${WARMUP}s warm-up) =="
printf '%-14s %4s %12s %10s %10s %8s\n' path conc req/s p50 p99 non-2xx
printf '%s\n' "${table[@]}"
