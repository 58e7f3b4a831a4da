#!/usr/bin/env bash
# CloudWatch Logs with the real CLIs against a live server: a function's group listed by prefix, `logs tail` (CLI v2:
# FilterLogEvents), `logs tail --follow` showing a line printed after it started, filter-log-events with a pattern;
# CLI v1 (no `logs tail`) for describe-log-groups, get-log-events, filter-log-events and start-live-tail.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
start_server
endpoint="http://127.0.0.1:$port"
v2="/usr/bin/aws --endpoint-url $endpoint"
v1="aws --endpoint-url $endpoint"

mkdir -p "$work/src"
printf 'import sys\ndef handler(event, context):\n    print("hello", event.get("n"))\n    print("ERROR failed", event.get("n"), file=sys.stderr)\n    return "ok"\n' >"$work/src/lambda_function.py"
(cd "$work/src" && python3 -c 'import zipfile; z=zipfile.ZipFile("../function.zip","w"); z.write("lambda_function.py"); z.close()')
$v2 lambda create-function --function-name hello --runtime python3.12 --handler lambda_function.handler \
  --zip-file "fileb://$work/function.zip" --role arn:aws:iam::000000000000:role/lambda-role --output json >/dev/null \
  || fail "create-function"
$v2 lambda wait function-active-v2 --function-name hello || fail "wait function-active-v2"
$v2 lambda invoke --function-name hello --payload '{"n": 1}' --cli-binary-format raw-in-base64-out "$work/out.json" >/dev/null \
  || fail "invoke"

out=$($v2 logs describe-log-groups --log-group-name-prefix /aws/lambda/hello --output json) || fail "describe-log-groups"
echo "$out" | grep -q '"logGroupName": "/aws/lambda/hello"' || fail "describe-log-groups: $out"

out=$($v2 logs tail /aws/lambda/hello --since 5m) || fail "logs tail"
echo "$out" | grep -q "hello 1" || fail "logs tail has no function output: $out"
echo "$out" | grep -q "REPORT RequestId:" || fail "logs tail has no REPORT: $out"

$v2 logs tail /aws/lambda/hello --follow --since 5m >"$work/follow.txt" 2>&1 &
follow_pid=$!
extra_cleanup() { kill "$follow_pid" 2>/dev/null || true; }
wait_for 60 grep -q "hello 1" "$work/follow.txt" || fail "logs tail --follow shows nothing: $(cat "$work/follow.txt")"
$v2 lambda invoke --function-name hello --payload '{"n": 2}' --cli-binary-format raw-in-base64-out "$work/out.json" >/dev/null \
  || fail "second invoke"
# CLI 2.9.19 polls FilterLogEvents every 5 s while following (docs/logs.md): the deadline allows for it.
wait_for 30 grep -q "hello 2" "$work/follow.txt" || fail "logs tail --follow did not show the new line: $(cat "$work/follow.txt")"
kill "$follow_pid" 2>/dev/null || true

out=$($v2 logs filter-log-events --log-group-name /aws/lambda/hello --filter-pattern ERROR --output json) \
  || fail "filter-log-events"
[ "$(echo "$out" | grep -c '"message": "ERROR failed')" = 2 ] || fail "filter-log-events ERROR: $out"

if command -v aws >/dev/null && [ "$(command -v aws)" != /usr/bin/aws ]; then
  out=$($v1 logs describe-log-groups --log-group-name-prefix /aws/lambda/hello --output json) || fail "v1 describe-log-groups"
  echo "$out" | grep -q '"logGroupName": "/aws/lambda/hello"' || fail "v1 describe-log-groups: $out"
  stream=$($v1 logs describe-log-streams --log-group-name /aws/lambda/hello --order-by LastEventTime --descending \
      --query 'logStreams[0].logStreamName' --output text) || fail "v1 describe-log-streams"
  $v1 logs get-log-events --log-group-name /aws/lambda/hello --log-stream-name "$stream" --output json \
    | grep -q '"message": "hello 2"' || fail "v1 get-log-events"
  out=$($v1 logs filter-log-events --log-group-name /aws/lambda/hello --filter-pattern '"failed 2"' --output json) \
    || fail "v1 filter-log-events"
  echo "$out" | grep -q '"message": "ERROR failed 2' || fail "v1 filter-log-events: $out"
  # Live Tail: lines printed after the session began stream in (the CLI prints each event's message).
  AWS_DISABLE_HOST_PREFIX_INJECTION=true $v1 logs start-live-tail \
    --log-group-identifiers arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/hello >"$work/live.txt" 2>&1 &
  live_pid=$!
  extra_cleanup() { kill "$follow_pid" "$live_pid" 2>/dev/null || true; }
  live_line() {
    $v2 lambda invoke --function-name hello --payload '{"n": "live"}' --cli-binary-format raw-in-base64-out \
      "$work/out.json" >/dev/null && grep -q "hello live" "$work/live.txt"
  }
  wait_for 60 live_line || fail "start-live-tail shows no new line: $(cat "$work/live.txt")"
  grep -q "hello 1" "$work/live.txt" && fail "start-live-tail showed a line from before the session"
  kill "$live_pid" 2>/dev/null || true
  out=$($v1 logs get-log-events --log-group-name /aws/lambda/nope --log-stream-name x 2>&1) && fail "unknown group accepted"
  echo "$out" | grep -q "ResourceNotFoundException" || fail "v1 unknown group: $out"
fi
echo "cli-logs: OK"
