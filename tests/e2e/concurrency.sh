#!/usr/bin/env bash
# Concurrency controls as the guides walk through them with the AWS CLI: provisioned concurrency on an alias
# (put-provisioned-concurrency-config --qualifier prod --provisioned-concurrent-executions 5, then
# get-provisioned-concurrency-config until READY), reserved concurrency (put/get/delete-function-concurrency, 0 to
# switch a function off), and get-account-settings. Runs with AWS CLI v2 (Debian's /usr/bin/aws), and v1 too when one
# is on PATH.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
start_server
endpoint="http://127.0.0.1:$port"

mkdir -p "$work/src"
printf 'import os\ndef handler(event, context):\n    return os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"]\n' \
  >"$work/src/lambda_function.py"
(cd "$work/src" && python3 -c 'import zipfile; z=zipfile.ZipFile("../function.zip","w"); z.write("lambda_function.py"); z.close()')

provisioned_ready() {
  local status
  status=$($aws lambda get-provisioned-concurrency-config --function-name "$name" --qualifier prod \
      --query Status --output text) || fail "get-provisioned-concurrency-config"
  [ "$status" != FAILED ] || fail "provisioned concurrency FAILED"
  [ "$status" = READY ]
}

run_flow() {
  local cli="$1" out err
  aws="$1 --endpoint-url $endpoint --output json"
  name="$2"
  $aws lambda create-function --function-name "$name" --runtime python3.12 --handler lambda_function.handler \
      --zip-file "fileb://$work/function.zip" --role arn:aws:iam::000000000000:role/lambda-role >/dev/null \
    || fail "$cli create-function"
  $aws lambda publish-version --function-name "$name" >/dev/null || fail "$cli publish-version"
  $aws lambda create-alias --function-name "$name" --name prod --function-version 1 >/dev/null \
    || fail "$cli create-alias"

  # The guide's commands, exactly.
  out=$($aws lambda put-provisioned-concurrency-config --function-name "$name" --qualifier prod \
      --provisioned-concurrent-executions 5) || fail "$cli put-provisioned-concurrency-config"
  echo "$out" | grep -q '"RequestedProvisionedConcurrentExecutions": 5' || fail "requested: $out"
  wait_for 120 provisioned_ready || fail "provisioned concurrency not READY within 120 s"
  out=$($aws lambda get-provisioned-concurrency-config --function-name "$name" --qualifier prod)
  echo "$out" | grep -q '"AllocatedProvisionedConcurrentExecutions": 5' || fail "allocated: $out"
  echo "$out" | grep -q '"AvailableProvisionedConcurrentExecutions": 5' || fail "available: $out"
  out=$($aws lambda invoke --function-name "$name" --qualifier prod "$work/out.json") || fail "$cli invoke prod"
  [ "$(cat "$work/out.json")" = '"provisioned-concurrency"' ] || fail "prod ran in: $(cat "$work/out.json")"
  $aws lambda list-provisioned-concurrency-configs --function-name "$name" \
    | grep -q "\"FunctionArn\": \"arn:aws:lambda:us-east-1:000000000000:function:$name:prod\"" \
    || fail "$cli list-provisioned-concurrency-configs"
  err=$($aws lambda put-provisioned-concurrency-config --function-name "$name" --qualifier '$LATEST' \
      --provisioned-concurrent-executions 1 2>&1) && fail "provisioned concurrency on \$LATEST accepted"
  echo "$err" | grep -q "InvalidParameterValueException.*cannot be applied to unpublished function versions" \
    || fail "error text: $err"

  # Reserved concurrency: the account's unreserved pool shrinks by it; 0 throttles every invocation.
  local unreserved_before
  unreserved_before=$($aws lambda get-account-settings --query AccountLimit.UnreservedConcurrentExecutions \
      --output text) || fail "$cli get-account-settings"
  out=$($aws lambda put-function-concurrency --function-name "$name" --reserved-concurrent-executions 10) \
    || fail "$cli put-function-concurrency"
  echo "$out" | grep -q '"ReservedConcurrentExecutions": 10' || fail "put-function-concurrency: $out"
  $aws lambda get-function-concurrency --function-name "$name" | grep -q '"ReservedConcurrentExecutions": 10' \
    || fail "$cli get-function-concurrency"
  $aws lambda get-function --function-name "$name" --query Concurrency.ReservedConcurrentExecutions \
      --output text | grep -qx 10 || fail "get-function does not show Concurrency"
  # The 5 provisioned are now part of the reservation, no longer taken from the unreserved pool.
  out=$($aws lambda get-account-settings --query AccountLimit.UnreservedConcurrentExecutions --output text)
  [ "$out" = "$((unreserved_before + 5 - 10))" ] || fail "unreserved after reserving 10: $out (before: $unreserved_before)"
  $aws lambda delete-provisioned-concurrency-config --function-name "$name" --qualifier prod \
    >/dev/null || fail "$cli delete-provisioned-concurrency-config"
  $aws lambda put-function-concurrency --function-name "$name" --reserved-concurrent-executions 0 >/dev/null \
    || fail "$cli put-function-concurrency 0"
  err=$(AWS_MAX_ATTEMPTS=1 $aws lambda invoke --function-name "$name" "$work/out.json" 2>&1) \
    && fail "a function reserved at 0 ran"
  echo "$err" | grep -q "TooManyRequestsException" || fail "error text at reserved 0: $err"
  $aws lambda delete-function-concurrency --function-name "$name" >/dev/null || fail "$cli delete-function-concurrency"
  $aws lambda invoke --function-name "$name" "$work/out.json" >/dev/null || fail "$cli invoke after delete"
  [ "$(cat "$work/out.json")" = '"on-demand"' ] || fail "ran in: $(cat "$work/out.json")"

  $aws lambda delete-function --function-name "$name" >/dev/null || fail "$cli delete-function"
  echo "ok: $cli ($($cli --version 2>&1 | cut -d' ' -f1))"
}

run_flow /usr/bin/aws my-api-function
v1=$(command -v aws || true)
if [ -n "$v1" ] && [ "$v1" != /usr/bin/aws ] && "$v1" --version 2>&1 | grep -q "aws-cli/1"; then
  run_flow "$v1" my-api-function
fi
