#!/usr/bin/env bash
# The start cost of embedded SQS (ElasticMQ): time from launching `kindling server` to its "ready" line, and the
# server's resident memory once idle and after 1,000 messages went through a queue. Runs it 3 times on a fresh
# data directory each. Usage: bench/sqs/start-cost.sh (needs the server built: ./mvnw -o package -DskipTests).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
port=${PORT:-9417}
for run in 1 2 3; do
    data=$(mktemp -d)
    start=$(date +%s%N)
    "$here/kindling" server --port "$port" --data-dir "$data" >"$data/server.log" 2>&1 &
    pid=$!
    until grep -q "SQS (ElasticMQ) ready" "$data/server.log" && curl -s -o /dev/null "http://127.0.0.1:$port/"; do
        sleep 0.02
    done
    ready=$(( ($(date +%s%N) - start) / 1000000 ))
    elasticmq=$(grep -o "SQS (ElasticMQ) ready in [0-9]* ms" "$data/server.log")
    java_pid=$(pgrep -P "$pid" java || echo "$pid")
    idle_kb=$(awk '/VmRSS/ {print $2}' "/proc/$java_pid/status")
    python3 - "$port" <<'PY'
import boto3, sys
sqs = boto3.client("sqs", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}")
url = sqs.create_queue(QueueName="bench")["QueueUrl"]
for i in range(100):
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(j), "MessageBody": "x" * 100} for j in range(10)])
got = 0
while got < 1000:
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    if messages:
        sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                                                        for i, m in enumerate(messages)])
    got += len(messages)
PY
    used_kb=$(awk '/VmRSS/ {print $2}' "/proc/$java_pid/status")
    echo "run $run: server ready after ${ready} ms ($elasticmq); RSS idle $((idle_kb / 1024)) MB, after 1,000 messages $((used_kb / 1024)) MB"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$data"
done
