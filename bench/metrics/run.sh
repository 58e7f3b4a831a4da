#!/usr/bin/env bash
# The cost of counting an invocation for Prometheus and CloudWatch's API (bench/metrics/RecordCost.java), against
# the server's built classes. Usage: bash bench/metrics/run.sh   (builds the server first if it is missing)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$repo/scripts/find-jdk.sh"
[ -d "$repo/server/target/classes" ] || (cd "$repo" && ./mvnw -q -B -DskipTests package)
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$repo/server/target/classes:$repo/server/target/lib/*" \
  "$repo/bench/metrics/RecordCost.java"
