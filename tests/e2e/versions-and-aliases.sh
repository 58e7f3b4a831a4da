#!/usr/bin/env bash
# Versions and aliases as the guides walk through them with the AWS CLI: publish-version, create-alias, invoke an
# alias (--qualifier), shift traffic with update-alias --routing-config, list them, and the refusal to delete a
# version an alias points to. Runs with AWS CLI v2 (Debian's /usr/bin/aws), and v1 too when one is on PATH.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
start_server
endpoint="http://127.0.0.1:$port"

mkdir -p "$work/v1" "$work/v2"
printf 'def handler(event, context):\n    return "blue"\n' >"$work/v1/lambda_function.py"
printf 'def handler(event, context):\n    return "green"\n' >"$work/v2/lambda_function.py"
for v in v1 v2; do
  (cd "$work/$v" && python3 -c 'import zipfile; z=zipfile.ZipFile("../'$v'.zip","w"); z.write("lambda_function.py"); z.close()')
done

run_flow() {
  local aws="$1 --endpoint-url $endpoint --output json" name="$2" out
  $aws lambda create-function --function-name "$name" --runtime python3.12 --handler lambda_function.handler \
      --zip-file "fileb://$work/v1.zip" --role arn:aws:iam::000000000000:role/lambda-role >/dev/null \
    || fail "$1 create-function"
  out=$($aws lambda publish-version --function-name "$name" --description "blue release") || fail "$1 publish-version"
  echo "$out" | grep -q '"Version": "1"' || fail "first version: $out"
  echo "$out" | grep -q "\"FunctionArn\": \"arn:aws:lambda:us-east-1:000000000000:function:$name:1\"" || fail "ARN: $out"
  $aws lambda update-function-code --function-name "$name" --zip-file "fileb://$work/v2.zip" >/dev/null \
    || fail "$1 update-function-code"
  $aws lambda wait function-updated-v2 --function-name "$name" || fail "$1 wait function-updated-v2"
  $aws lambda publish-version --function-name "$name" | grep -q '"Version": "2"' || fail "second version"

  out=$($aws lambda create-alias --function-name "$name" --name prod --function-version 1) || fail "$1 create-alias"
  echo "$out" | grep -q "\"AliasArn\": \"arn:aws:lambda:us-east-1:000000000000:function:$name:prod\"" \
    || fail "AliasArn: $out"
  out=$($aws lambda invoke --function-name "$name" --qualifier prod "$work/out.json") || fail "$1 invoke prod"
  echo "$out" | grep -q '"ExecutedVersion": "1"' || fail "prod ran: $out"
  [ "$(cat "$work/out.json")" = '"blue"' ] || fail "prod result: $(cat "$work/out.json")"

  # Shift all of prod's traffic to version 2 through its routing config, as a canary's last step does.
  $aws lambda update-alias --function-name "$name" --name prod \
      --routing-config 'AdditionalVersionWeights={2=1.0}' >/dev/null || fail "$1 update-alias --routing-config"
  out=$($aws lambda invoke --function-name "$name:prod" "$work/out.json") || fail "$1 invoke name:prod"
  echo "$out" | grep -q '"ExecutedVersion": "2"' || fail "routed to: $out"
  [ "$(cat "$work/out.json")" = '"green"' ] || fail "routed result: $(cat "$work/out.json")"

  out=$($aws lambda list-versions-by-function --function-name "$name" --query 'Versions[].Version' --output text)
  [ "$(echo $out)" = '$LATEST 1 2' ] || fail "list-versions-by-function: $out"
  $aws lambda list-aliases --function-name "$name" | grep -q '"Name": "prod"' || fail "list-aliases"

  local err
  err=$($aws lambda delete-function --function-name "$name" --qualifier 1 2>&1) && fail "deleted a version prod uses"
  echo "$err" | grep -q "ResourceConflictException.*Unable to delete version because the following aliases reference it: \[prod\]" \
    || fail "error text: $err"
  $aws lambda delete-alias --function-name "$name" --name prod || fail "$1 delete-alias"
  $aws lambda delete-function --function-name "$name" --qualifier 1 || fail "$1 delete version 1"
  $aws lambda delete-function --function-name "$name" || fail "$1 delete-function"
  echo "ok: $1 ($($1 --version 2>&1 | cut -d' ' -f1))"
}

run_flow /usr/bin/aws releases-v2
v1=$(command -v aws || true)
if [ -n "$v1" ] && [ "$v1" != /usr/bin/aws ] && "$v1" --version 2>&1 | grep -q "aws-cli/1"; then
  run_flow "$v1" releases-v1
fi
