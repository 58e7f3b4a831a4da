#!/usr/bin/env bash
# SQS on Kindling's endpoint with both CLIs: CLI v2 2.9.19 (SQS's query protocol) and CLI v1 (the JSON protocol)
# create queues, send and receive; an event source mapping made with the CLI delivers 20 messages to a function in
# batches of at most its BatchSize; a message over 1 MiB gets SQS's own error; a disabled mapping says Disabled.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
recorder_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
touch "$work/batches"
python3 - "$recorder_port" "$work/batches" <<'PY' &
import http.server, sys
port, path = int(sys.argv[1]), sys.argv[2]
out = open(path, "a", buffering=1)
class Recorder(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        out.write(self.rfile.read(int(self.headers["Content-Length"])).decode() + "\n")
        self.send_response(204)
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Recorder).serve_forever()
PY
recorder=$!
extra_cleanup() { kill "$recorder" 2>/dev/null; }

start_server
endpoint="http://127.0.0.1:$port"
v2="/usr/bin/aws --endpoint-url $endpoint"
v1="aws --endpoint-url $endpoint"

url=$($v2 sqs create-queue --queue-name orders --query QueueUrl --output text) || fail "v2 create-queue"
[ "$url" = "$endpoint/000000000000/orders" ] || fail "queue URL $url"
$v1 sqs create-queue --queue-name orders-dlq --output json >/dev/null || fail "v1 create-queue"
$v1 sqs list-queues --output json | grep -q "orders-dlq" || fail "v1 list-queues"
$v1 sqs send-message --queue-url "$url" --message-body hello \
  --message-attributes '{"kind":{"DataType":"String","StringValue":"greeting"}}' >/dev/null || fail "v1 send-message"
out=$($v2 sqs receive-message --queue-url "$url" --message-attribute-names All --wait-time-seconds 5 --output json) \
  || fail "v2 receive-message"
echo "$out" | grep -q '"Body": "hello"' || fail "v2 receive-message: $out"
echo "$out" | grep -q '"StringValue": "greeting"' || fail "v2 receive-message lost the attribute: $out"
handle=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Messages"][0]["ReceiptHandle"])')
$v2 sqs delete-message --queue-url "$url" --receipt-handle "$handle" || fail "v2 delete-message"

big="$work/big.txt"
python3 -c 'print("x" * 1048577, end="")' >"$big"
if out=$($v1 sqs send-message --queue-url "$url" --message-body "file://$big" 2>&1); then fail "1 MiB + 1 accepted"; fi
echo "$out" | grep -q "InvalidParameterValue" || fail "oversized message, v1: $out"
if out=$($v2 sqs send-message --queue-url "$url" --message-body "file://$big" 2>&1); then fail "1 MiB + 1 accepted"; fi
echo "$out" | grep -q "InvalidParameterValue" || fail "oversized message, v2: $out"

mkdir -p "$work/src"
cat >"$work/src/lambda_function.py" <<PY
import json, urllib.request
def handler(event, context):
    urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:$recorder_port/",
                           data=json.dumps(event).encode(), method="POST"), timeout=30).read()
PY
(cd "$work/src" && python3 -c 'import zipfile; z=zipfile.ZipFile("../f.zip","w"); z.write("lambda_function.py"); z.close()')
$v2 lambda create-function --function-name consumer --runtime python3.12 --handler lambda_function.handler \
  --zip-file "fileb://$work/f.zip" --role arn:aws:iam::000000000000:role/r >/dev/null || fail "create-function"
uuid=$($v2 lambda create-event-source-mapping --function-name consumer --batch-size 5 \
  --event-source-arn arn:aws:sqs:us-east-1:000000000000:orders --query UUID --output text) \
  || fail "create-event-source-mapping"
if out=$($v1 lambda create-event-source-mapping --function-name consumer --batch-size 50 \
  --event-source-arn arn:aws:sqs:us-east-1:000000000000:orders-dlq 2>&1); then fail "batch of 50 without window"; fi
echo "$out" | grep -q "InvalidParameterValueException" || fail "batch of 50 without window: $out"

entries=$(python3 -c 'import json; print(json.dumps([{"Id": str(i), "MessageBody": "m%d" % i} for i in range(10)]))')
$v1 sqs send-message-batch --queue-url "$url" --entries "$entries" >/dev/null || fail "v1 send-message-batch"
entries=$(python3 -c 'import json; print(json.dumps([{"Id": str(i), "MessageBody": "m%d" % (i + 10)} for i in range(10)]))')
$v2 sqs send-message-batch --queue-url "$url" --entries "$entries" >/dev/null || fail "v2 send-message-batch"
delivered() {
  python3 - "$work/batches" <<'PY'
import json, sys
batches = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
bodies = [r["body"] for b in batches for r in b["Records"]]
assert all(len(b["Records"]) <= 5 for b in batches), "a batch over BatchSize"
assert all(r["eventSource"] == "aws:sqs" for b in batches for r in b["Records"])
sys.exit(0 if sorted(bodies) == sorted("m%d" % i for i in range(20)) else 1)
PY
}
wait_for 60 delivered || fail "20 messages not delivered in batches of at most 5: $(cat "$work/batches")"

state=$($v1 lambda update-event-source-mapping --uuid "$uuid" --no-enabled --query State --output text) \
  || fail "update-event-source-mapping"
[ "$state" = Disabling ] || fail "update answered $state"
disabled() { [ "$($v2 lambda get-event-source-mapping --uuid "$uuid" --query State --output text)" = Disabled ]; }
wait_for 30 disabled || fail "mapping not Disabled"
$v2 lambda list-event-source-mappings --function-name consumer --output json | grep -q "$uuid" \
  || fail "list-event-source-mappings"
echo "PASS sqs.sh"
