#!/usr/bin/env bash
# A contact form behind a function URL, as a new user builds one with the AWS CLI and tries it with curl:
# create-function-url-config, the two add-permission statements a public URL needs (the second through CLI v1 or
# boto3: Debian's CLI v2 2.9 predates --invoked-via-function-url), a JSON POST read with json.loads(event['body']),
# cookies, a query string, a binary body, a CORS preflight, then the same URL switched to AWS_IAM: curl's own
# SigV4 signing is accepted, an unsigned request refused. Host-routed (<url-id>.lambda-url.us-east-1.localhost,
# which curl resolves to loopback) and path-routed (/lambda-url/<url-id>/) forms both.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
start_server
endpoint="http://127.0.0.1:$port"
v2="/usr/bin/aws --endpoint-url $endpoint --output json"
# CLI v1 when one is on PATH (it knows --invoked-via-function-url), else boto3 for that one statement.
v1=$(command -v aws || true)
if [ -n "$v1" ] && [ "$v1" != /usr/bin/aws ] && "$v1" --version 2>&1 | grep -q "aws-cli/1"; then
  v1="$v1 --endpoint-url $endpoint --output json"
else
  v1=""
fi
grant_invoke_via_url() {
  if [ -n "$v1" ]; then
    $v1 lambda add-permission --function-name contact-form --statement-id public-invoke \
        --action lambda:InvokeFunction --principal '*' --invoked-via-function-url >/dev/null
  else
    python3 -c 'import boto3, sys; boto3.client("lambda", endpoint_url=sys.argv[1]).add_permission(
        FunctionName="contact-form", StatementId="public-invoke", Action="lambda:InvokeFunction", Principal="*",
        InvokedViaFunctionUrl=True)' "$endpoint"
  fi
}

mkdir -p "$work/src"
cat >"$work/src/lambda_function.py" <<'PY'
import base64, json

def handler(event, context):
    if event['rawPath'] == '/upload':
        data = base64.b64decode(event['body']) if event['isBase64Encoded'] else event['body'].encode()
        return {'statusCode': 200, 'headers': {'Content-Type': 'application/octet-stream'},
                'isBase64Encoded': True, 'body': base64.b64encode(data[::-1]).decode()}
    form = json.loads(event['body'])
    if not form.get('email'):
        return {'statusCode': 400, 'body': json.dumps({'error': 'email is required'})}
    return {'statusCode': 201, 'headers': {'Content-Type': 'application/json'},
            'cookies': ['contacted=yes; Max-Age=3600'],
            'body': json.dumps({'thanks': form['name'], 'via': event['requestContext']['http']['method'],
                                'campaign': (event.get('queryStringParameters') or {}).get('campaign')})}
PY
(cd "$work/src" && python3 -c 'import zipfile; z=zipfile.ZipFile("../form.zip","w"); z.write("lambda_function.py"); z.close()')

$v2 lambda create-function --function-name contact-form --runtime python3.12 --handler lambda_function.handler \
    --zip-file "fileb://$work/form.zip" --role arn:aws:iam::000000000000:role/lambda-role >/dev/null \
  || fail "create-function"
out=$($v2 lambda create-function-url-config --function-name contact-form --auth-type NONE \
    --cors 'AllowOrigins=https://example.com,AllowMethods=POST,AllowHeaders=content-type,MaxAge=300') \
  || fail "create-function-url-config"
url=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["FunctionUrl"])')
[[ "$url" =~ ^http://([a-z0-9]{32})\.lambda-url\.us-east-1\.localhost:$port/$ ]] || fail "FunctionUrl: $url"
id="${BASH_REMATCH[1]}"
by_path="$endpoint/lambda-url/$id/"

post() { curl -s -o "$work/body" -D "$work/headers" -w '%{http_code}' -H 'content-type: application/json' \
    --data "$2" "$1"; }
code=$(post "$url" '{"name":"Ann","email":"ann@example.com"}')
[ "$code" = 403 ] || fail "without permissions: $code $(cat "$work/body")"
grep -q '"Message":"Forbidden' "$work/body" || fail "403 body: $(cat "$work/body")"

$v2 lambda add-permission --function-name contact-form --statement-id public-url \
    --action lambda:InvokeFunctionUrl --principal '*' --function-url-auth-type NONE >/dev/null \
  || fail "add-permission InvokeFunctionUrl"
code=$(post "$url" '{"name":"Ann","email":"ann@example.com"}')
[ "$code" = 403 ] || fail "with only lambda:InvokeFunctionUrl: $code"
grant_invoke_via_url || fail "add-permission InvokeFunction --invoked-via-function-url"
policy=$($v2 lambda get-policy --function-name contact-form --query Policy --output text) || fail "get-policy"
echo "$policy" | python3 -c '
import json, sys
p = json.load(sys.stdin)
assert p["Version"] == "2012-10-17" and p["Id"] == "default", p
s = {x["Sid"]: x for x in p["Statement"]}
assert s["public-url"]["Condition"] == {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}, s
assert s["public-invoke"]["Condition"] == {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}, s
' || fail "policy: $policy"

code=$(post "${url}?campaign=spring" '{"name":"Ann","email":"ann@example.com"}')
[ "$code" = 201 ] || fail "host-routed POST: $code $(cat "$work/body")"
python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); assert b=={"thanks":"Ann","via":"POST","campaign":"spring"}, b' \
  "$work/body" || fail "body: $(cat "$work/body")"
grep -qi '^set-cookie: contacted=yes; Max-Age=3600' "$work/headers" || fail "cookie: $(cat "$work/headers")"
code=$(post "$by_path" '{"name":"Bo"}')
[ "$code" = 400 ] || fail "path-routed POST without email: $code $(cat "$work/body")"

head -c 5000 /dev/urandom >"$work/photo.bin"
curl -s -o "$work/back.bin" -H 'content-type: image/jpeg' --data-binary "@$work/photo.bin" "${by_path}upload" \
  || fail "binary upload"
python3 -c 'import sys; a=open(sys.argv[1],"rb").read(); b=open(sys.argv[2],"rb").read(); assert b==a[::-1]' \
  "$work/photo.bin" "$work/back.bin" || fail "binary body did not come back reversed"

curl -s -o /dev/null -D "$work/headers" -X OPTIONS -H 'Origin: https://example.com' \
  -H 'Access-Control-Request-Method: POST' "$url" || fail "preflight"
grep -qi '^access-control-allow-origin: https://example.com' "$work/headers" || fail "preflight: $(cat "$work/headers")"
grep -qi '^access-control-max-age: 300' "$work/headers" || fail "preflight max-age: $(cat "$work/headers")"

$v2 lambda update-function-url-config --function-name contact-form --auth-type AWS_IAM >/dev/null \
  || fail "update-function-url-config"
code=$(post "$url" '{"name":"Ann","email":"ann@example.com"}')
[ "$code" = 403 ] || fail "unsigned request to an AWS_IAM URL: $code"
code=$(curl -s -o "$work/body" -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:lambda" --user test:test \
    -H 'content-type: application/json' --data '{"name":"Cy","email":"cy@example.com"}' "$url")
[ "$code" = 201 ] || fail "SigV4-signed request: $code $(cat "$work/body")"
$v2 lambda list-function-url-configs --function-name contact-form | grep -q '"AuthType": "AWS_IAM"' \
  || fail "list-function-url-configs"
${v1:-$v2} lambda delete-function-url-config --function-name contact-form || fail "delete-function-url-config"
code=$(post "$url" '{}')
[ "$code" = 403 ] || fail "deleted URL: $code"
echo "ok: function URLs with curl, CLI v2${v1:+ and CLI v1}"
