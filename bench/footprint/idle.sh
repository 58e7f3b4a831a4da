#!/usr/bin/env bash
# A fresh server's start-to-ready time and its idle footprint: RSS, threads and loaded classes after IDLE seconds
# without requests. Usage: bash bench/footprint/idle.sh   (env: IDLE=15 ROUNDS=3; JAVA_OPTS as the launcher takes it;
# KINDLING_HOME=<checkout> measures another checkout's server).
set -euo pipefail
IDLE="${IDLE:-15}"; ROUNDS="${ROUNDS:-3}"
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../../tests/e2e/lib/server.sh"
printf '%-6s %10s %12s %8s %8s\n' round ready_ms idle_rss_mb threads classes
for round in $(seq 1 "$ROUNDS"); do
  rm -rf "$work/data"
  began=$(date +%s%N)
  start_server
  ready=$(( ($(date +%s%N) - began) / 1000000 ))
  jvm=$(pgrep -P "$server_pid" java || echo "$server_pid")
  sleep "$IDLE" # the footprint after a quiet while is the figure asked for, not a wait for an event
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$jvm/status")
  threads=$(ls "/proc/$jvm/task" | wc -l)
  classes=$("${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd" "$jvm" VM.classloader_stats 2>/dev/null |
    awk '/^Total = / {print $4; exit}')
  printf '%-6s %10s %12s %8s %8s\n' "$round" "$ready" "$rss" "$threads" "${classes:-?}"
  stop_server
done
