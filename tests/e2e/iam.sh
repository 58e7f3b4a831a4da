#!/usr/bin/env bash
# IAM with both AWS CLIs (Debian's v2 at /usr/bin/aws, v1 on PATH): the guide walkthrough's IAM steps (create-role
# with a Lambda trust policy file, attach AWSLambdaBasicExecutionRole, create-function with that role, list-roles,
# detach, delete-role); bad input (a policy that does not parse, a role that does not trust Lambda, deleting a role
# with policies attached); functions using the SDK Kindling bundles (boto3, AWS SDK for JavaScript v3) with no
# endpoint configured in their code: denied what their role lacks, allowed once a broader policy is attached.
# Then --strict-iam on a second start.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
start_server
endpoint="http://127.0.0.1:$port"
v2=/usr/bin/aws
v1=aws
[ -x "$v2" ] || fail "Debian's AWS CLI v2 is not installed at $v2"

cat >"$work/trust-policy.json" <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
  ]
}
JSON
sed 's/lambda.amazonaws.com/ec2.amazonaws.com/' "$work/trust-policy.json" >"$work/ec2-trust.json"
printf '{"Version": "2012-10-17", "Statement": [' >"$work/broken.json"

mkdir -p "$work/py" "$work/node"
cat >"$work/py/lambda_function.py" <<'PY'
import boto3
from botocore.exceptions import ClientError

def handler(event, context):
    logs = boto3.client("logs")  # no endpoint in code: AWS_ENDPOINT_URL says where
    logs.describe_log_groups  # the client exists; the basic execution role may write logs
    try:
        names = [f["FunctionName"] for f in boto3.client("lambda").list_functions()["Functions"]]
        return {"allowed": True, "functions": names, "boto3": boto3.__version__}
    except ClientError as e:
        return {"allowed": False, "code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}
PY
cat >"$work/node/index.mjs" <<'JS'
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";

export const handler = async () => {
  try {
    const out = await new LambdaClient({}).send(new ListFunctionsCommand({}));
    return { allowed: true, functions: out.Functions.map((f) => f.FunctionName) };
  } catch (e) {
    return { allowed: false, code: e.name, message: e.message };
  }
};
JS
(cd "$work/py" && python3 -c 'import zipfile; z=zipfile.ZipFile("../py.zip","w"); z.write("lambda_function.py"); z.close()')
(cd "$work/node" && python3 -c 'import zipfile; z=zipfile.ZipFile("../node.zip","w"); z.write("index.mjs"); z.close()')

walkthrough() {
  local aws="$1" role="$2" fn="$3"
  local out
  out=$($aws --endpoint-url "$endpoint" iam create-role --role-name "$role" \
      --assume-role-policy-document "file://$work/trust-policy.json" --output json) || fail "$aws iam create-role"
  echo "$out" | grep -q "\"Arn\": \"arn:aws:iam::000000000000:role/$role\"" || fail "create-role: $out"
  echo "$out" | grep -q '"Service": "lambda.amazonaws.com"' || fail "create-role policy not decoded: $out"
  $aws --endpoint-url "$endpoint" iam attach-role-policy --role-name "$role" \
    --policy-arn arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole || fail "$aws attach-role-policy"
  $aws --endpoint-url "$endpoint" lambda create-function --function-name "$fn" --runtime python3.12 \
    --handler lambda_function.handler --zip-file "fileb://$work/py.zip" --timeout 60 \
    --role "arn:aws:iam::000000000000:role/$role" >/dev/null || fail "$aws create-function with $role"
  $aws --endpoint-url "$endpoint" iam list-roles --output json | grep -q "\"RoleName\": \"$role\"" \
    || fail "$aws list-roles does not show $role"
  $aws --endpoint-url "$endpoint" iam list-attached-role-policies --role-name "$role" --output text \
    | grep -q AWSLambdaBasicExecutionRole || fail "$aws list-attached-role-policies"

  # Bad input, as the CLI prints it.
  out=$($aws --endpoint-url "$endpoint" iam delete-role --role-name "$role" 2>&1) && fail "delete-role with a policy attached"
  echo "$out" | grep -q "DeleteConflict" || fail "delete-role: $out"
  out=$($aws --endpoint-url "$endpoint" iam put-role-policy --role-name "$role" --policy-name broken \
      --policy-document "file://$work/broken.json" 2>&1) && fail "a broken policy was accepted"
  echo "$out" | grep -q "MalformedPolicyDocument" || fail "put-role-policy: $out"
  $aws --endpoint-url "$endpoint" iam create-role --role-name "$role-ec2" \
    --assume-role-policy-document "file://$work/ec2-trust.json" >/dev/null || fail "$aws create-role ec2"
  out=$($aws --endpoint-url "$endpoint" lambda create-function --function-name "$fn-ec2" --runtime python3.12 \
      --handler lambda_function.handler --zip-file "fileb://$work/py.zip" \
      --role "arn:aws:iam::000000000000:role/$role-ec2" 2>&1) && fail "a role not trusting Lambda was accepted"
  echo "$out" | grep -q "InvalidParameterValueException" || fail "create-function: $out"
  echo "$out" | grep -q "The role defined for the function cannot be assumed by Lambda." || fail "message: $out"
}

invoke() { # name -> the function's result
  aws --endpoint-url "$endpoint" lambda invoke --function-name "$1" --cli-read-timeout 300 "$work/out.json" >/dev/null \
    || fail "invoke $1"
  cat "$work/out.json"
}

walkthrough "$v2" guide-role-v2 guide-fn-v2
walkthrough "$v1" guide-role-v1 guide-fn-v1

# boto3 inside the function: the basic execution role may not list functions...
out=$(invoke guide-fn-v2)
echo "$out" | grep -q '"allowed": false' || fail "boto3 with only AWSLambdaBasicExecutionRole: $out"
echo "$out" | grep -q '"code": "AccessDeniedException"' || fail "code: $out"
echo "$out" | grep -q "is not authorized to perform: lambda:ListFunctions on resource: \* because no identity-based policy allows the lambda:ListFunctions action" \
  || fail "message: $out"
# ...until a broader policy is attached.
$v2 --endpoint-url "$endpoint" iam attach-role-policy --role-name guide-role-v2 \
  --policy-arn arn:aws:iam::aws:policy/AdministratorAccess || fail "attach AdministratorAccess"
out=$(invoke guide-fn-v2)
echo "$out" | grep -q '"allowed": true' || fail "boto3 with AdministratorAccess: $out"
echo "$out" | grep -q '"guide-fn-v1"' || fail "boto3 list: $out"

# The AWS SDK for JavaScript v3 in a Node.js function, imported as an ES module.
$v2 --endpoint-url "$endpoint" lambda create-function --function-name node-fn --runtime nodejs20.x \
  --handler index.handler --zip-file "fileb://$work/node.zip" --timeout 60 \
  --role arn:aws:iam::000000000000:role/guide-role-v1 >/dev/null || fail "create node-fn"
out=$(invoke node-fn)
echo "$out" | grep -q '"allowed":false' || fail "SDK v3 with only AWSLambdaBasicExecutionRole: $out"
echo "$out" | grep -q '"code":"AccessDeniedException"' || fail "SDK v3 code: $out"
$v1 --endpoint-url "$endpoint" iam put-role-policy --role-name guide-role-v1 --policy-name list \
  --policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "lambda:List*", "Resource": "*"}]}' \
  || fail "put-role-policy"
out=$(invoke node-fn)
echo "$out" | grep -q '"allowed":true' || fail "SDK v3 with lambda:List*: $out"

# Clean-up as the guide does it.
for aws in "$v2" "$v1"; do
  suffix=$([ "$aws" = "$v2" ] && echo v2 || echo v1)
  $aws --endpoint-url "$endpoint" lambda delete-function --function-name "guide-fn-$suffix" || fail "delete-function"
  $aws --endpoint-url "$endpoint" iam detach-role-policy --role-name "guide-role-$suffix" \
    --policy-arn arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole || fail "$aws detach-role-policy"
done
$v2 --endpoint-url "$endpoint" iam detach-role-policy --role-name guide-role-v2 \
  --policy-arn arn:aws:iam::aws:policy/AdministratorAccess || fail "detach AdministratorAccess"
$v1 --endpoint-url "$endpoint" iam delete-role-policy --role-name guide-role-v1 --policy-name list || fail "delete-role-policy"
for role in guide-role-v2 guide-role-v1 guide-role-v2-ec2 guide-role-v1-ec2; do
  $v2 --endpoint-url "$endpoint" iam delete-role --role-name "$role" || fail "delete-role $role"
done
$v1 --endpoint-url "$endpoint" iam list-roles --output json | grep -q '"RoleName"' && fail "roles left after clean-up"

# --strict-iam: a role Kindling's IAM does not have is refused.
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
: >"$work/server.log"
"$here/kindling" server --port "$port" --data-dir "$work/data" --strict-iam >"$work/server.log" 2>&1 &
server_pid=$!
wait_for 120 server_ready || fail "strict server did not start"
out=$($v2 --endpoint-url "$endpoint" lambda create-function --function-name strict-fn --runtime python3.12 \
    --handler lambda_function.handler --zip-file "fileb://$work/py.zip" \
    --role arn:aws:iam::000000000000:role/not-in-iam 2>&1) && fail "--strict-iam accepted an unknown role"
echo "$out" | grep -q "cannot be assumed by Lambda" || fail "--strict-iam: $out"
echo "PASS: iam.sh"
