#!/usr/bin/env bash
# Messages per second from SendMessageBatch to a no-op function through an SQS event source mapping: starts a
# server on a fresh data directory, creates a Python no-op function, a queue and a mapping (BatchSize 10, no
# batching window), sends N messages (default 5,000) with SendMessageBatch from 4 threads, and times until the
# queue is empty (every message delivered and deleted). Usage: bench/sqs/throughput.sh [N]
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
port=${PORT:-9419}
data=$(mktemp -d)
"$here/kindling" server --port "$port" --data-dir "$data" >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
until grep -q "Kindling is ready" "$data/server.log"; do sleep 0.05; done
python3 - "$port" "${1:-5000}" <<'PY'
import boto3, io, sys, time, zipfile, concurrent.futures
endpoint, total = f"http://127.0.0.1:{sys.argv[1]}", int(sys.argv[2])
lam = boto3.client("lambda", endpoint_url=endpoint)
sqs = boto3.client("sqs", endpoint_url=endpoint)
code = io.BytesIO()
with zipfile.ZipFile(code, "w") as z:
    z.writestr("lambda_function.py", "def handler(event, context):\n    return None\n")
lam.create_function(FunctionName="noop", Runtime="python3.12", Handler="lambda_function.handler",
                    Role="arn:aws:iam::000000000000:role/r", Code={"ZipFile": code.getvalue()})
url = sqs.create_queue(QueueName="bench")["QueueUrl"]
lam.create_event_source_mapping(FunctionName="noop", EventSourceArn="arn:aws:sqs:us-east-1:000000000000:bench",
                                BatchSize=10)
def send(chunk):
    client = boto3.client("sqs", endpoint_url=endpoint)
    for first in chunk:
        client.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": f'{{"n": {first + i}}}'}
                                                         for i in range(10)])
def left():
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages",
                                                               "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return int(a["ApproximateNumberOfMessages"]) + int(a["ApproximateNumberOfMessagesNotVisible"])
# Warm up: 500 messages through, so the function's environments and the server's JIT are ready.
send(range(0, 500, 10))
while left():
    time.sleep(0.05)
start = time.time()
batches = list(range(0, total, 10))
with concurrent.futures.ThreadPoolExecutor(4) as pool:
    list(pool.map(send, [batches[i::4] for i in range(4)]))
sent = time.time() - start
while left():
    time.sleep(0.02)
took = time.time() - start
print(f"{total} messages: sent in {sent:.1f} s ({total / sent:.0f}/s), all delivered and deleted after {took:.1f} s"
      f" ({total / took:.0f} messages/s end to end)")
PY
