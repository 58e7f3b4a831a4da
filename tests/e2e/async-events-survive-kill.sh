#!/usr/bin/env bash
# At-least-once under kill -9: 5,000 Event invocations to a function that reports each event's id to a recorder
# here, while the server is killed with SIGKILL three times at random moments and started again each time. Every
# event that got its 202 must run; the script prints how many ran more than once (allowed: at least once).
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
events=5000
touch "$work/ran" "$work/accepted"
recorder_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# The recorder: appends every id a function posts, one per line.
python3 - "$recorder_port" "$work/ran" <<'PY' &
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
mkdir -p "$work/src"
cat >"$work/src/lambda_function.py" <<PY
import urllib.request
def handler(event, context):
    urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:$recorder_port/",
                           data=str(event["id"]).encode(), method="POST"), timeout=30).read()
PY
(cd "$work/src" && python3 -c 'import zipfile; z=zipfile.ZipFile("../f.zip","w"); z.write("lambda_function.py"); z.close()')
/usr/bin/aws --endpoint-url "http://127.0.0.1:$port" lambda create-function --function-name recorded \
    --runtime python3.12 --handler lambda_function.handler --zip-file "fileb://$work/f.zip" \
    --role arn:aws:iam::000000000000:role/r >/dev/null || fail "create-function"

# The sender: 8 threads send every id until it gets its 202 (the server is down now and then), noting each accepted.
/usr/bin/python3 - "http://127.0.0.1:$port" "$events" "$work/accepted" <<'PY' &
import json, sys, threading, time
try:
    import botocore
except ImportError:  # Debian's AWS CLI v2 ships its own botocore; importing awscli makes it `botocore`
    import awscli
from botocore.config import Config
from botocore.session import Session
endpoint, total, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
out = open(path, "a", buffering=1)
lock = threading.Lock()
ids = iter(range(total))
def send():
    lam = Session().create_client("lambda", endpoint_url=endpoint, region_name="us-east-1",
                                  aws_access_key_id="test", aws_secret_access_key="test",
                                  config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=30))
    while True:
        with lock:
            i = next(ids, None)
        if i is None:
            return
        while True:
            try:
                r = lam.invoke(FunctionName="recorded", InvocationType="Event", Payload=json.dumps({"id": i}))
                if r["StatusCode"] == 202:
                    with lock:
                        out.write(f"{i}\n")
                    break
            except Exception:
                time.sleep(0.2)  # the server is down: send it again once it is back
threads = [threading.Thread(target=send) for _ in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
PY
sender=$!

for kill_number in 1 2 3; do
  accepted_past() { [ "$(wc -l <"$work/accepted")" -ge "$1" ]; }
  # A random moment while events are still arriving: after another 300 to 1,300 accepted.
  target=$(( $(wc -l <"$work/accepted") + 300 + RANDOM % 1000 ))
  wait_for 300 accepted_past "$target" || fail "the sender stalled before kill $kill_number"
  kill -9 "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  start_server
done
wait "$sender" || fail "the sender failed"
[ "$(sort -u "$work/accepted" | wc -l)" -eq "$events" ] || fail "not every event was accepted"

all_ran() { [ "$(sort -u "$work/ran" | wc -l)" -ge "$events" ]; }
wait_for 600 all_ran || fail "$(comm -23 <(sort -u "$work/accepted") <(sort -u "$work/ran") | wc -l) accepted events never ran"
missing=$(comm -23 <(sort -u "$work/accepted") <(sort -u "$work/ran") | wc -l)
[ "$missing" -eq 0 ] || fail "$missing accepted events were lost"
twice=$(sort "$work/ran" | uniq -d | wc -l)
echo "ok: $events events accepted across 3 kill -9s, every one ran; $twice ran more than once"
