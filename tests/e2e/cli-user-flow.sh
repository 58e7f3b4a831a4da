#!/usr/bin/env bash
# The README's user flow with the real AWS CLI v2 (Debian's /usr/bin/aws) against a freshly started server:
# create, list, get-function and download of Code.Location (bytes compared), update, invoke (result, log tail,
# Event), errors as the CLI prints them, delete. Runs with AWS CLI v1 too when one is on PATH.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
start_server
grep -q "Kindling is ready at http://127.0.0.1:$port" "$work/server.log" || fail "server did not print its endpoint"
grep -q "AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test" "$work/server.log" || fail "server did not print the credentials"

endpoint="http://127.0.0.1:$port"

mkdir -p "$work/src"
printf 'def handler(event, context):\n    return {"hello": "world"}\n' >"$work/src/lambda_function.py"
(cd "$work/src" && python3 -c 'import zipfile; z=zipfile.ZipFile("../function.zip","w"); z.write("lambda_function.py"); z.close()')
printf 'def handler(event, context):\n    print("doubling", event["n"])\n    return event["n"] * 2\n' >"$work/src/lambda_function.py"
(cd "$work/src" && python3 -c 'import zipfile; z=zipfile.ZipFile("../function2.zip","w"); z.write("lambda_function.py"); z.close()')

run_flow() {
  local aws="$1" name="$2"
  local out
  out=$($aws --endpoint-url "$endpoint" lambda create-function --function-name "$name" \
      --runtime python3.12 --handler lambda_function.handler --zip-file "fileb://$work/function.zip" \
      --role arn:aws:iam::000000000000:role/lambda-role --timeout 30 --memory-size 256 --output json) \
    || fail "$aws create-function"
  echo "$out" | grep -q "\"FunctionArn\": \"arn:aws:lambda:us-east-1:000000000000:function:$name\"" || fail "FunctionArn: $out"
  echo "$out" | grep -q '"MemorySize": 256' || fail "MemorySize: $out"
  # As on AWS, CreateFunction answers Pending; the waiter sees it Active on its first read.
  echo "$out" | grep -q '"State": "Pending"' || fail "State: $out"
  $aws --endpoint-url "$endpoint" lambda wait function-active-v2 --function-name "$name" || fail "$aws wait function-active-v2"

  $aws --endpoint-url "$endpoint" lambda list-functions --output json | grep -q "\"FunctionName\": \"$name\"" \
    || fail "$aws list-functions does not show $name"

  local location
  location=$($aws --endpoint-url "$endpoint" lambda get-function --function-name "$name" \
      --query Code.Location --output text) || fail "$aws get-function"
  curl -sf "$location" -o "$work/downloaded.zip" || fail "download of Code.Location $location"
  cmp -s "$work/downloaded.zip" "$work/function.zip" || fail "downloaded code differs from the uploaded zip"

  $aws --endpoint-url "$endpoint" lambda update-function-code --function-name "$name" \
      --zip-file "fileb://$work/function2.zip" --output json >/dev/null || fail "$aws update-function-code"
  location=$($aws --endpoint-url "$endpoint" lambda get-function --function-name "$name" \
      --query Code.Location --output text)
  curl -sf "$location" -o "$work/downloaded.zip"
  cmp -s "$work/downloaded.zip" "$work/function2.zip" || fail "Code.Location does not serve the updated code"

  # Invoke, as the README shows it: the payload from a file (both CLI generations read fileb:// as is).
  printf '{"n": 21}' >"$work/event.json"
  out=$($aws --endpoint-url "$endpoint" lambda invoke --function-name "$name" --payload "fileb://$work/event.json" \
      --log-type Tail --output json "$work/result.json") || fail "$aws invoke"
  echo "$out" | grep -q '"StatusCode": 200' || fail "invoke status: $out"
  echo "$out" | grep -q '"ExecutedVersion": "$LATEST"' || fail "invoke version: $out"
  [ "$(cat "$work/result.json")" = "42" ] || fail "invoke result: $(cat "$work/result.json")"
  local log
  log=$(echo "$out" | python3 -c 'import base64, json, sys; print(base64.b64decode(json.load(sys.stdin)["LogResult"]).decode())')
  echo "$log" | grep -q "^START RequestId: .* Version: \$LATEST" || fail "no START in the log tail: $log"
  echo "$log" | grep -q "^doubling 21" || fail "no function output in the log tail: $log"
  echo "$log" | grep -q "^REPORT RequestId: .*Duration: .*Max Memory Used: " || fail "no REPORT in the log tail: $log"
  out=$($aws --endpoint-url "$endpoint" lambda invoke --function-name "$name" --payload "fileb://$work/event.json" \
      --invocation-type Event --output json "$work/event-result.json") || fail "$aws invoke --invocation-type Event"
  echo "$out" | grep -q '"StatusCode": 202' || fail "Event invoke status: $out"

  local err
  err=$($aws --endpoint-url "$endpoint" lambda get-function --function-name "missing-$name" 2>&1) && fail "missing function found"
  echo "$err" | grep -q "An error occurred (ResourceNotFoundException) when calling the GetFunction operation: Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing-$name" \
    || fail "error text for a missing function: $err"

  err=$(AWS_SECRET_ACCESS_KEY=wrong $aws --endpoint-url "$endpoint" lambda list-functions 2>&1) && fail "bad signature accepted"
  echo "$err" | grep -q "InvalidSignatureException" || fail "error for a bad signature: $err"

  $aws --endpoint-url "$endpoint" lambda delete-function --function-name "$name" >/dev/null || fail "$aws delete-function"
  $aws --endpoint-url "$endpoint" lambda get-function --function-name "$name" >/dev/null 2>&1 && fail "deleted function still there"
  echo "ok: $aws ($($aws --version 2>&1 | cut -d' ' -f1))"
}

run_flow /usr/bin/aws hello-v2
v1=$(command -v aws || true)
if [ -n "$v1" ] && [ "$v1" != /usr/bin/aws ] && "$v1" --version 2>&1 | grep -q "aws-cli/1"; then
  run_flow "$v1" hello-v1
fi
