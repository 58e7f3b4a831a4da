#!/usr/bin/env bash
# Invoke benchmark for Kindling: warm throughput/latency (wrk) and cold starts (botocore).
# JAVA_BENCH=1 adds a Java no-op (java21). Installs what it needs when missing (wrk; Debian's awscli for its botocore) and builds the no-op custom runtime
# with gcc. Usage: bash bench/invoke/run.sh      (env: DURATION=10 WARMUP=2 COLD_N=10 CONCURRENCY="1 8 64" SERVER_WARMUP=15)
# KINDLING_HOME=<checkout> benchmarks another checkout's server (default: this one); RESULTS=<file> also writes the
# figures there one per line (WARM runtime conc req/s p50 p99 non-2xx socket-errors; COLD ... as bench.py prints it), for ab.sh.
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DURATION="${DURATION:-10}"; WARMUP="${WARMUP:-2}"; COLD_N="${COLD_N:-10}"; CONCURRENCY="${CONCURRENCY:-1 8 64}"
source "$bench/tools.sh"

# $work, $port, start_server and cleanup on exit; it sets $here to the repository's root.
source "$bench/../../tests/e2e/lib/server.sh"
extra_cleanup() { if [ -n "${KEEP_LOG:-}" ]; then cp "$work/server.log" "$KEEP_LOG"; fi; }
start_server
echo "server ready on port $port (${KINDLING_HOME:-$here})"

gcc -O2 -o "$work/noop-bootstrap" "$bench/noop-bootstrap.c"
export NOOP_BOOTSTRAP="$work/noop-bootstrap"
if [ -n "${JAVA_BENCH:-}" ]; then # a Java no-op too (java21, on the server's JDK choice)
  mkdir -p "$work/java" && "$JAVA_HOME/bin/javac" --release 21 -d "$work/java" "$bench/Noop.java"
  (cd "$work/java" && "$JAVA_HOME/bin/jar" cfM "$work/noop-java.zip" bench/Noop.class)
  export NOOP_JAVA_ZIP="$work/noop-java.zip"
fi
"$PYTHON" "$bench/bench.py" setup "$port" "$work" >"$work/fns"
echo "--- cold starts"
"$PYTHON" "$bench/bench.py" cold "$port" "$COLD_N" | tee "$work/cold.txt"
cold="$(cat "$work/cold.txt")"
if [ -n "${RESULTS:-}" ]; then cat "$work/cold.txt" >>"$RESULTS"; fi
# The server's JIT needs a while: without this the first cells measure a cold JVM at a third of its speed.
provided_url="$(awk '$1=="provided.al2023" {print $3}' "$work/fns")"
echo "--- warming the server up (${SERVER_WARMUP:-15}s)"
wrk -t2 -c8 -d"${SERVER_WARMUP:-15}s" -s "$work/noop-providedal2023.lua" "$provided_url" >/dev/null
table=()
# Note: concurrency 64 makes Kindling start up to 64 execution environments per function.
while read -r rt name url; do
  for c in $CONCURRENCY; do
    threads=$(( c < 2 ? 1 : 2 ))
    wrk -t"$threads" -c"$c" -d"${WARMUP}s" -s "$work/$name.lua" "$url" >/dev/null
    out="$(wrk -t"$threads" -c"$c" -d"${DURATION}s" --latency -s "$work/$name.lua" "$url")"
    echo "--- $rt c=$c"; echo "$out"
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
    errs=$(awk '/Socket errors/ {print $0}' <<<"$out")
    if [ -n "${RESULTS:-}" ]; then
      sockerr=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
      echo "WARM $rt $c $rps $p50 $p99 $non2xx ${sockerr:-0}" >>"$RESULTS"
    fi
    table+=("$(printf '%-15s %4s %12s %10s %10s %8s %s' "$rt" "$c" "$rps" "$p50" "$p99" "$non2xx" "${errs:+($errs)}")")
  done
done <"$work/fns"


echo
echo "== Warm invocations (wrk, ${DURATION}s each after ${WARMUP}s warm-up) =="
printf '%-15s %4s %12s %10s %10s %8s\n' runtime conc req/s p50 p99 non-2xx
printf '%s\n' "${table[@]}"
echo
echo "== Cold starts (medians of $COLD_N, ms) =="
printf '%-15s %16s %14s %14s\n' runtime 'create->first' cold-invoke warm-invoke
sed -E 's/^COLD ([^ ]+) create_to_first_ms=([^ ]+) cold_invoke_ms=([^ ]+) warm_invoke_ms=([^ ]+).*/\1 \2 \3 \4/' <<<"$cold" |
  while read -r rt a b w; do printf '%-15s %16s %14s %14s\n' "$rt" "$a" "$b" "$w"; done
