#!/usr/bin/env bash
# Jetty 12 (core API, virtual threads) vs Helidon SE 4 WebServer, for Kindling's HTTP server choice.
# Builds this standalone project, runs every measurement, prints the figures (raw output in target/results/).
# Takes about 6 minutes. Results: docs/http-server.md. Traffic goes to 127.0.0.1 only; every loop is bounded.
set -euo pipefail
cd "$(dirname "$0")"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
JVM_FLAGS=(-Xmx512m)          # one flag set for every server JVM
KINDS=(jetty jetty-vtp helidon)
DUR=${DUR:-10}                # seconds per wrk run
RES=target/results

echo "== build"
mvn -q package dependency:copy-dependencies -DoutputDirectory=target/lib 2>&1 | grep -v '^WARNING' || true
rm -rf target/lib-jetty target/lib-helidon "$RES"; mkdir -p target/lib-jetty target/lib-helidon "$RES"
cp target/lib/jetty-*.jar target/lib/slf4j-*.jar target/lib-jetty/
cp target/lib/helidon-*.jar target/lib-helidon/
cp_for() { case "$1" in helidon) echo "target/classes:target/lib-helidon/*";; *) echo "target/classes:target/lib-jetty/*";; esac; }
libdir_for() { case "$1" in helidon) echo target/lib-helidon;; *) echo target/lib-jetty;; esac; }

echo "== machine: $(nproc) vCPU, $("$JAVA" -version 2>&1 | head -1), wrk shares the same cores"
echo "== 4b. dependency set (runtime jars, excluding the JDK)"
for d in jetty helidon; do
  n=$(ls target/lib-$d/*.jar | wc -l); kb=$(du -ck target/lib-$d/*.jar | tail -1 | cut -f1)
  printf 'deps %-8s %2d jars, %s MB\n' "$d" "$n" "$(awk "BEGIN{printf \"%.2f\", $kb/1024}")"
done

cat > "$RES/post100.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"key1":"value1","key2":"value2","key3":"value3","padding":"' .. string.rep("x", 37) .. '"}'
LUA
cat > "$RES/post1m.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '"' .. string.rep("x", 1048574) .. '"'
LUA

SERVER_PID=""
start_server() { # kind idleMs -> sets PORT
  local out="$RES/server-$1.out"
  "$JAVA" "${JVM_FLAGS[@]}" -cp "$(cp_for "$1")" dev.kindling.bench.ServerMain "$1" 0 "${2:-0}" >"$out" 2>"$RES/server-$1.err" &
  SERVER_PID=$!
  for _ in $(seq 100); do grep -q READY "$out" 2>/dev/null && break; sleep 0.1; done
  PORT=$(awk '/READY/{print $2}' "$out")
}
stop_server() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }
trap 'stop_server' EXIT
summ() { # label file: req/s, p50, p99 from wrk --latency output
  awk -v l="$1" '/Requests\/sec/{r=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} /Non-2xx|Socket errors/{e=e" "$0}
       END{printf "%-34s req/s=%-10s p50=%-9s p99=%-9s%s\n", l, r, p50, p99, e}' "$2"
}

echo "== 1. wrk POST echo (body 100 B; -t1; ${DUR}s each after a 5 s warm-up) and 2. ping-pong invoke path"
for k in "${KINDS[@]}"; do
  start_server "$k"
  wrk -t1 -c64 -d5s -s "$RES/post100.lua" "http://127.0.0.1:$PORT/echo" >/dev/null
  for c in 1 8 64; do
    wrk -t1 -c$c -d${DUR}s --latency -s "$RES/post100.lua" "http://127.0.0.1:$PORT/echo" >"$RES/wrk-$k-c$c.txt"
    summ "echo $k c=$c" "$RES/wrk-$k-c$c.txt"
  done
  wrk -t1 -c8 -d${DUR}s --latency -s "$RES/post1m.lua" "http://127.0.0.1:$PORT/echo" >"$RES/wrk-$k-1m-c8.txt"
  summ "echo-1MiB $k c=8" "$RES/wrk-$k-1m-c8.txt"
  echo "rss $k after echo runs: $(awk '/VmRSS/{print $2/1024 " MB"}' /proc/$SERVER_PID/status), platform threads: $(ls /proc/$SERVER_PID/task | wc -l)"
  for c in 1 8; do
    printf '%-10s ' "$k"; "$JAVA" -cp "$(cp_for "$k")" dev.kindling.bench.PingPong "$PORT" "$c" 3 "$DUR" | tee "$RES/pingpong-$k-c$c.txt"
  done
  stop_server
done

echo "== long poll longer than the idle timeout (server idle timeout 2 s, handler blocks 5 s)"
for k in "${KINDS[@]}"; do
  start_server "$k" 2000
  printf '%-10s ' "$k"; "$JAVA" -cp "$(cp_for "$k")" dev.kindling.bench.HoldCheck "$PORT" 5000
  stop_server
done

echo "== 3. one listening port per environment: add/start and stop/remove at run time (200 reps after 20 warm-up)"
"$JAVA" "${JVM_FLAGS[@]}" -cp "$(cp_for jetty)" dev.kindling.bench.ConnectorChurn jetty 200 0 2>/dev/null
"$JAVA" "${JVM_FLAGS[@]}" -cp "$(cp_for jetty)" dev.kindling.bench.ConnectorChurn jetty 200 1 2>/dev/null
"$JAVA" "${JVM_FLAGS[@]}" -cp "$(cp_for jetty-vtp)" dev.kindling.bench.ConnectorChurn jetty-vtp 200 0 2>/dev/null
"$JAVA" "${JVM_FLAGS[@]}" -cp "$(cp_for helidon)" dev.kindling.bench.ConnectorChurn helidon 200 2>/dev/null

echo "== 4a. start time: JVM process start -> first GET answered (10 runs each, medians; classpath = own deps only)"
for k in "${KINDS[@]}"; do
  "$JAVA" -cp target/classes dev.kindling.bench.StartTime "$JAVA" "$k" "$PWD/target/classes:$PWD/$(libdir_for "$k")/*" 10 "${JVM_FLAGS[@]}"
done
echo "== done (raw output in $RES/)"
