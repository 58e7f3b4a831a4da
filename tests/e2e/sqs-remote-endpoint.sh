#!/usr/bin/env bash
# Queues on another SQS endpoint, with the CLI: a standalone ElasticMQ (a separate process on a port of its own)
# serves account 111111111111 in eu-west-1; Kindling, started with --sqs-endpoints naming it, maps one of its queues
# to a function by the queue's SQS ARN, delivers what a producer sends there, and deletes it there. A bad
# --sqs-endpoints file stops the server at start with a message naming the entry.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
source "$here/scripts/find-jdk.sh"
"$here/kindling" --version >/dev/null # builds the server (and its lib/ with ElasticMQ) if needed
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
remote_port=$(free_port)
recorder_port=$(free_port)

cat >"$work/remote.conf" <<CONF
include classpath("application.conf")
node-address { protocol = http, host = "127.0.0.1", port = $remote_port, context-path = "" }
rest-sqs { enabled = true, bind-port = $remote_port, bind-hostname = "127.0.0.1", sqs-limits = strict }
rest-stats.enabled = false
aws { region = eu-west-1, accountId = "111111111111" }
CONF
"$JAVA_HOME/bin/java" -Dconfig.file="$work/remote.conf" -cp "$here/server/target/lib/*" org.elasticmq.server.Main \
  >"$work/remote.log" 2>&1 &
remote_pid=$!
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
extra_cleanup() { kill "$remote_pid" "$recorder" 2>/dev/null; }

# A mistake in the file stops the server at start, naming the entry.
echo '[{"account": "111111111111", "url": "http://127.0.0.1:1"}]' >"$work/bad.json"
if out=$("$here/kindling" server --port "$(free_port)" --data-dir "$work/bad-data" --sqs-endpoints "$work/bad.json" 2>&1)
then fail "a bad --sqs-endpoints file was accepted"; fi
echo "$out" | grep -q "entry 1: region is missing" || fail "bad --sqs-endpoints file: $out"

remote="aws --endpoint-url http://127.0.0.1:$remote_port --region eu-west-1"
remote_up() { AWS_ACCESS_KEY_ID=producer AWS_SECRET_ACCESS_KEY=producer $remote sqs list-queues >/dev/null 2>&1; }
wait_for 60 remote_up || { cat "$work/remote.log" >&2; fail "the standalone ElasticMQ did not start"; }
url=$(AWS_ACCESS_KEY_ID=producer AWS_SECRET_ACCESS_KEY=producer $remote sqs create-queue --queue-name orders \
  --query QueueUrl --output text) || fail "create-queue on the other endpoint"

cat >"$work/sqs-endpoints.json" <<JSON
[{"account": "111111111111", "region": "eu-west-1", "url": "http://127.0.0.1:$remote_port",
  "accessKeyId": "kindling-on-remote", "secretAccessKey": "its-secret"}]
JSON
start_server --sqs-endpoints "$work/sqs-endpoints.json"
v1="aws --endpoint-url http://127.0.0.1:$port"

mkdir -p "$work/src"
cat >"$work/src/lambda_function.py" <<PY
import json, urllib.request
def handler(event, context):
    urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:$recorder_port/",
                           data=json.dumps(event).encode(), method="POST"), timeout=30).read()
PY
(cd "$work/src" && python3 -c 'import zipfile; z=zipfile.ZipFile("../f.zip","w"); z.write("lambda_function.py"); z.close()')
$v1 lambda create-function --function-name consumer --runtime python3.12 --handler lambda_function.handler \
  --zip-file "fileb://$work/f.zip" --role arn:aws:iam::000000000000:role/r >/dev/null || fail "create-function"
if out=$($v1 lambda create-event-source-mapping --function-name consumer \
  --event-source-arn arn:aws:sqs:eu-west-1:111111111111:missing 2>&1); then fail "a missing remote queue was mapped"; fi
echo "$out" | grep -q "NonExistentQueue" || fail "missing remote queue: $out"
uuid=$($v1 lambda create-event-source-mapping --function-name consumer --batch-size 5 \
  --event-source-arn arn:aws:sqs:eu-west-1:111111111111:orders --query UUID --output text) \
  || fail "create-event-source-mapping of the remote queue"

for n in 1 2 3 4 5 6 7; do
  AWS_ACCESS_KEY_ID=producer AWS_SECRET_ACCESS_KEY=producer $remote sqs send-message --queue-url "$url" \
    --message-body "{\"n\": $n}" >/dev/null || fail "send-message $n to the other endpoint"
done
delivered() {
  python3 - "$work/batches" <<'PY'
import json, sys
bodies = set()
for line in open(sys.argv[1]):
    for r in json.loads(line)["Records"]:
        assert r["eventSourceARN"] == "arn:aws:sqs:eu-west-1:111111111111:orders", r["eventSourceARN"]
        assert r["awsRegion"] == "eu-west-1", r["awsRegion"]
        bodies.add(r["body"])
sys.exit(0 if len(bodies) == 7 else 1)
PY
}
wait_for 60 delivered || fail "the remote queue's 7 messages did not all arrive: $(cat "$work/batches")"
remote_empty() {
  [ "$(AWS_ACCESS_KEY_ID=producer AWS_SECRET_ACCESS_KEY=producer $remote sqs get-queue-attributes --queue-url "$url" \
    --attribute-names ApproximateNumberOfMessages ApproximateNumberOfMessagesNotVisible \
    --query 'Attributes.[ApproximateNumberOfMessages,ApproximateNumberOfMessagesNotVisible]' --output text)" = "0	0" ]
}
wait_for 30 remote_empty || fail "delivered messages were not deleted on the other endpoint"
$v1 lambda delete-event-source-mapping --uuid "$uuid" >/dev/null || fail "delete-event-source-mapping"
echo "sqs-remote-endpoint: OK"
