#!/usr/bin/env bash
# Trains the JVM's ahead-of-time cache for the server (JEP 483/514/515, JDK 25+): runs a server with
# -XX:AOTCacheOutput on a scratch data directory, drives what a server does in its first seconds (its start, the
# control plane, a Python function's cold and warm invocations, the logs API) through the AWS APIs with curl's SigV4,
# and stops it; the JVM writes the cache (the classes loaded and linked) as it exits.
# Usage: scripts/train-aot.sh CACHE CLASSPATH   (JAVA_HOME set; the cache is written only if training succeeds)
set -euo pipefail
cache="$1"; classpath="$2"
work="$(mktemp -d)"; server_pid=""
cleanup() { [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# Classes only, no method profiles (JEP 515's training data): replaying this short run's profiles cost 5-9 % of the
# steady warm throughput and 200 ms of start in one run (docs/performance.md).
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:AOTCacheOutput="$work/cache.aot" \
  -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -cp "$classpath" \
  dev.kindling.Main server --port "$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  grep -q "Kindling is ready" "$work/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
endpoint="http://127.0.0.1:$port"
aws() { # aws SERVICE METHOD PATH [curl options...]: one signed request with the default key, its body discarded
  local service="$1" method="$2" path="$3"; shift 3
  curl -sS -o /dev/null --aws-sigv4 "aws:amz:us-east-1:$service" --user test:test -X "$method" "$@" "$endpoint$path"
}
python3 - "$work/code.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("lambda_function.py", "def lambda_handler(event, context):\n    print('training')\n    return event\n")
PY
printf '{"FunctionName":"train","Runtime":"python3.12","Handler":"lambda_function.lambda_handler",'\
'"Role":"arn:aws:iam::000000000000:role/lambda-role","Code":{"ZipFile":"%s"}}' "$(base64 -w0 "$work/code.zip")" \
  >"$work/create.json"
aws lambda POST /2015-03-31/functions -H 'Content-Type: application/json' --data-binary @"$work/create.json"
aws lambda GET /2015-03-31/functions/train
aws lambda GET /2015-03-31/functions/
# Warm invocations, so every class of the warm path is in the cache (one connection, one curl).
urls=(); for _ in $(seq 1 50); do urls+=("$endpoint/2015-03-31/functions/train/invocations"); done
curl -sS --aws-sigv4 "aws:amz:us-east-1:lambda" --user test:test -H 'X-Amz-Log-Type: Tail' \
  -d '{"training":true}' "${urls[@]}" >/dev/null
aws logs POST / -H 'X-Amz-Target: Logs_20140328.DescribeLogGroups' -H 'Content-Type: application/x-amz-json-1.1' -d '{}'
aws logs POST / -H 'X-Amz-Target: Logs_20140328.FilterLogEvents' -H 'Content-Type: application/x-amz-json-1.1' \
  -d '{"logGroupName":"/aws/lambda/train"}'
aws lambda DELETE /2015-03-31/functions/train
kill "$server_pid" # SIGTERM: the JVM writes the cache only on an orderly exit
wait "$server_pid" || true
server_pid=""
[ -s "$work/cache.aot" ] || { echo "kindling: the JVM wrote no AOT cache" >&2; exit 1; }
mv "$work/cache.aot" "$cache"
