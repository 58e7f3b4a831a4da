#!/usr/bin/env bash
# The guides' hands-on challenge with Debian's AWS CLI v2, as a new user types it: a role for the function (trust
# policy, AWSLambdaBasicExecutionRole), a Python function that prints what lands in a bucket, S3 allowed to invoke
# it, a notification on a key prefix; an upload's print() shows in `aws logs tail` within 60 s; an environment
# variable added with update-function-configuration is seen by the next upload's invocation; a key outside the
# prefix invokes nothing; then everything is cleaned up and gone.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
start_server
aws="/usr/bin/aws --endpoint-url http://127.0.0.1:$port"

cat >"$work/trust.json" <<'JSON'
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
JSON
role_arn=$($aws iam create-role --role-name challenge-role --assume-role-policy-document "file://$work/trust.json" \
  --query Role.Arn --output text) || fail "create-role"
$aws iam attach-role-policy --role-name challenge-role \
  --policy-arn arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole || fail "attach-role-policy"

mkdir -p "$work/src"
cat >"$work/src/lambda_function.py" <<'PY'
import os

def lambda_handler(event, context):
    for record in event["Records"]:
        print("uploaded:", record["s3"]["bucket"]["name"], record["s3"]["object"]["key"],
              "greeting:", os.environ.get("GREETING", "none"))
    return {"statusCode": 200}
PY
(cd "$work/src" && python3 -c 'import zipfile; z=zipfile.ZipFile("../function.zip","w"); z.write("lambda_function.py"); z.close()')
$aws lambda create-function --function-name s3-challenge --runtime python3.12 --handler lambda_function.lambda_handler \
  --role "$role_arn" --zip-file "fileb://$work/function.zip" >/dev/null || fail "create-function"
$aws lambda wait function-active-v2 --function-name s3-challenge || fail "wait function-active-v2"

$aws s3 mb s3://challenge-bucket >/dev/null || fail "s3 mb"
$aws lambda add-permission --function-name s3-challenge --statement-id s3-invoke --action lambda:InvokeFunction \
  --principal s3.amazonaws.com --source-arn arn:aws:s3:::challenge-bucket --source-account 000000000000 >/dev/null \
  || fail "add-permission"
cat >"$work/notification.json" <<'JSON'
{"LambdaFunctionConfigurations": [{
  "Id": "incoming",
  "LambdaFunctionArn": "arn:aws:lambda:us-east-1:000000000000:function:s3-challenge",
  "Events": ["s3:ObjectCreated:*"],
  "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "incoming/"}]}}}]}
JSON
$aws s3api put-bucket-notification-configuration --bucket challenge-bucket \
  --notification-configuration "file://$work/notification.json" || fail "put-bucket-notification-configuration"

echo "hello" >"$work/note.txt"
$aws s3 cp "$work/note.txt" s3://challenge-bucket/outside/note.txt >/dev/null || fail "upload outside the prefix"
$aws s3 cp "$work/note.txt" s3://challenge-bucket/incoming/first.txt >/dev/null || fail "first upload"
tail_shows() { $aws logs tail /aws/lambda/s3-challenge --since 10m 2>/dev/null | grep -q "$1"; }
wait_for 60 tail_shows "uploaded: challenge-bucket incoming/first.txt greeting: none" \
  || fail "the upload's print() is not in logs tail: $($aws logs tail /aws/lambda/s3-challenge --since 10m 2>&1)"

$aws lambda update-function-configuration --function-name s3-challenge \
  --environment 'Variables={GREETING=hello-from-config}' >/dev/null || fail "update-function-configuration"
$aws lambda wait function-updated-v2 --function-name s3-challenge || fail "wait function-updated-v2"
$aws s3 cp "$work/note.txt" s3://challenge-bucket/incoming/second.txt >/dev/null || fail "second upload"
wait_for 60 tail_shows "uploaded: challenge-bucket incoming/second.txt greeting: hello-from-config" \
  || fail "the new environment variable is not seen: $($aws logs tail /aws/lambda/s3-challenge --since 10m 2>&1)"
$aws logs tail /aws/lambda/s3-challenge --since 10m | grep -q "outside/note.txt" && fail "a key outside the prefix invoked the function"

# Clean-up, as the guide ends.
$aws s3 rm s3://challenge-bucket --recursive >/dev/null || fail "s3 rm --recursive"
$aws s3 rb s3://challenge-bucket >/dev/null || fail "s3 rb"
$aws lambda delete-function --function-name s3-challenge || fail "delete-function"
$aws iam detach-role-policy --role-name challenge-role \
  --policy-arn arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole || fail "detach-role-policy"
$aws iam delete-role --role-name challenge-role || fail "delete-role"
$aws s3 ls | grep -q challenge-bucket && fail "the bucket is still listed"
$aws lambda list-functions --query 'Functions[].FunctionName' --output text | grep -q s3-challenge \
  && fail "the function is still listed"
$aws iam list-roles --query 'Roles[].RoleName' --output text | grep -q challenge-role && fail "the role is still listed"
echo "PASS: s3-trigger-challenge.sh"
