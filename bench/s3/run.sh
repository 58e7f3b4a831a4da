#!/usr/bin/env bash
# S3's cost in Kindling: s3proxy's start time and memory (StartCost.java in a fresh JVM on the server's class path),
# then the time from a PutObject to the first line of the function its bucket notification invokes (notify.py:
# one cold, N warm, sequential). Usage: bash bench/s3/run.sh   (env: N=30)
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$bench/../../tests/e2e/lib/server.sh"
source "$here/scripts/find-jdk.sh"
(cd "$here" && ./mvnw -q -B -o -DskipTests package >&2)
classpath="$here/server/target/kindling-server-0.1.0-SNAPSHOT.jar:$here/server/target/lib/*"
mkdir -p "$work/classes"
"$JAVA_HOME/bin/javac" -d "$work/classes" -cp "$classpath" "$bench/StartCost.java"
echo "== s3proxy embedded: start and memory (fresh JVM) =="
"$JAVA_HOME/bin/java" -cp "$work/classes:$classpath" StartCost 2>/dev/null
start_server
echo "== PutObject to the function's first line (bucket notification, asynchronous invocation) =="
python3 "$bench/notify.py" "$port" "${N:-30}"
