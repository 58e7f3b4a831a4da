#!/usr/bin/env bash
# Java cold-start benchmark: a hello-world RequestHandler on java21 (on the newest JDK here), started
#   plain  - the JVM's defaults (the function sets JAVA_TOOL_OPTIONS, which turns Kindling's tuning off),
#   tuned  - Kindling's default flags for short-lived functions (serial GC, C1 only, heap from MemorySize),
#   cached - SnapStart: a published version started from its ahead-of-time cache (trained once, then shared by
#            every function with the same code and configuration),
# the same three for an HTTP API handler on aws-lambda-java-events (ev-*: AWS's Jackson serializers and the events
# jar loaded at the first invocation), and, for comparison, a Python no-op. For each: CreateFunction -> first response, the cold Invoke alone, the
# REPORT's Init (or Restore) Duration (process start -> first /next), and a warm Invoke; medians of N.
# Usage: bash bench/java/run.sh        (env: N=10)
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
N="${N:-10}"
source "$bench/../invoke/tools.sh"
source "$bench/../../tests/e2e/lib/server.sh"
java_home="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
m2=~/.m2/repository
core="$m2/com/amazonaws/aws-lambda-java-core/1.4.0/aws-lambda-java-core-1.4.0.jar"
events="$m2/com/amazonaws/aws-lambda-java-events/3.16.1/aws-lambda-java-events-3.16.1.jar"
joda="$m2/joda-time/joda-time/2.10.8/joda-time-2.10.8.jar"
mkdir -p "$work/classes" "$work/api/lib"
"$java_home/bin/javac" --release 21 -d "$work/classes" -cp "$core:$events" "$bench/Hello.java" "$bench/Api.java"
(cd "$work/classes" && "$java_home/bin/jar" cf "$work/hello.zip" bench/Hello.class)
cp "$events" "$joda" "$work/api/lib/" && cp -r "$work/classes/bench" "$work/api/"
(cd "$work/api" && "$java_home/bin/jar" cfM "$work/api.zip" .)
start_server
"$PYTHON" "$bench/cold.py" "$port" "$work/hello.zip" "$work/api.zip" "$work/data" "$N"
