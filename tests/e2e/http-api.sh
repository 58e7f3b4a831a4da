#!/usr/bin/env bash
# HTTP APIs with the real CLIs and curl against a live server: a Python users API written as the guides write it
# (event['httpMethod'], event['path'], json.loads(event['body'])) behind payload 1.0 routes made with CLI v1, and a
# quick create (--target) made with CLI v2. Status codes, headers, cookies, query strings, binary bodies both ways,
# route precedence, 404, no permission -> 500, a function error -> 500, and bad input refused with API Gateway's
# errors.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
start_server
endpoint="http://127.0.0.1:$port"
v2="/usr/bin/aws --endpoint-url $endpoint"
if command -v aws >/dev/null && [ "$(command -v aws)" != /usr/bin/aws ]; then v1="aws --endpoint-url $endpoint"; else v1="$v2"; fi
account=000000000000

mkdir -p "$work/src"
cat >"$work/src/lambda_function.py" <<'EOF'
import base64, json

users = {}
avatars = {}

def respond(status, body, headers=None, multi=None):
    response = {'statusCode': status, 'headers': {'Content-Type': 'application/json', **(headers or {})},
                'body': '' if body is None else json.dumps(body)}
    if multi:
        response['multiValueHeaders'] = multi
    return response

def lambda_handler(event, context):
    if event.get('version') == '2.0':  # a quick create's payload 2.0: the result is inferred into a 200
        return {'format': '2.0', 'rawPath': event['rawPath'], 'cookies': event.get('cookies', [])}
    method, path = event['httpMethod'], event['path']
    params = event.get('pathParameters') or {}
    query = event.get('queryStringParameters') or {}
    if path == '/boom':
        raise RuntimeError('boom')
    if path == '/users/me':
        return respond(200, {'me': True, 'agent': event['headers'].get('User-Agent', '')})
    if event['resource'] == '/users/{id}/avatar':
        if method == 'PUT':
            body = event['body']
            avatars[params['id']] = base64.b64decode(body) if event['isBase64Encoded'] else body.encode()
            return respond(204, None)
        return {'statusCode': 200, 'headers': {'Content-Type': 'image/png'}, 'isBase64Encoded': True,
                'body': base64.b64encode(avatars[params['id']]).decode()}
    if path == '/users':
        if method == 'GET':
            listed = sorted(users.values(), key=lambda u: u['id'])[:int(query.get('limit', '100'))]
            return respond(200, listed, multi={'Set-Cookie': ['seen=1', 'theme=dark']})
        user = json.loads(event['body'])
        users[user['id']] = user
        return respond(201, user, headers={'Location': '/users/' + user['id']})
    user_id = params['id']
    if method == 'DELETE':
        users.pop(user_id, None)
        return respond(204, None)
    if user_id not in users:
        return respond(404, {'error': 'no such user ' + user_id})
    return respond(200, users[user_id])
EOF
(cd "$work/src" && python3 -c 'import zipfile; z=zipfile.ZipFile("../function.zip","w"); z.write("lambda_function.py"); z.close()')
$v2 lambda create-function --function-name users --runtime python3.12 --handler lambda_function.lambda_handler \
  --zip-file "fileb://$work/function.zip" --role arn:aws:iam::$account:role/lambda-role --output json >/dev/null \
  || fail "create-function"
$v2 lambda wait function-active-v2 --function-name users || fail "wait function-active-v2"
function_arn="arn:aws:lambda:us-east-1:$account:function:users"

# --- the users API, made piece by piece with CLI v1, payload format 1.0 ---
api_id=$($v1 apigatewayv2 create-api --name users-api --protocol-type HTTP --query ApiId --output text) \
  || fail "create-api"
[[ "$api_id" =~ ^[a-z0-9]{10}$ ]] || fail "api id: $api_id"
integration=$($v1 apigatewayv2 create-integration --api-id "$api_id" --integration-type AWS_PROXY \
  --integration-uri "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/$function_arn/invocations" \
  --payload-format-version 1.0 --query IntegrationId --output text) || fail "create-integration"
for key in "GET /users" "POST /users" "GET /users/{id}" "DELETE /users/{id}" "GET /users/me" "ANY /users/{id}/avatar" \
    "GET /boom"; do
  $v1 apigatewayv2 create-route --api-id "$api_id" --route-key "$key" --target "integrations/$integration" \
    --output json >/dev/null || fail "create-route $key"
done
$v1 apigatewayv2 create-stage --api-id "$api_id" --stage-name '$default' --auto-deploy --output json >/dev/null \
  || fail "create-stage"
base="http://$api_id.execute-api.localhost:$port"

# No permission for API Gateway yet: 500, as on AWS.
status=$(curl -s -o "$work/body" -w '%{http_code}' "$base/users") || fail "curl without permission"
[ "$status" = 500 ] || fail "without permission: $status $(cat "$work/body")"
grep -q '{"message":"Internal Server Error"}' "$work/body" || fail "without permission body: $(cat "$work/body")"
$v2 lambda add-permission --function-name users --statement-id apigw --action lambda:InvokeFunction \
  --principal apigateway.amazonaws.com --source-arn "arn:aws:execute-api:us-east-1:$account:$api_id/*" \
  --output json >/dev/null || fail "add-permission"

status=$(curl -s -o "$work/body" -w '%{http_code}' -H 'Content-Type: application/json' -D "$work/headers" \
  -d '{"id": "42", "name": "Ada"}' "$base/users") || fail "POST /users"
[ "$status" = 201 ] || fail "POST /users: $status $(cat "$work/body")"
grep -qi '^location: /users/42' "$work/headers" || fail "POST /users Location: $(cat "$work/headers")"
grep -qi '^apigw-requestid: ' "$work/headers" || fail "no apigw-requestid: $(cat "$work/headers")"
curl -sf -H 'Content-Type: application/json' -d '{"id": "7", "name": "Grace"}' "$base/users" >/dev/null || fail "POST 7"
out=$(curl -sf "$base/users/42") || fail "GET /users/42"
[ "$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["name"])')" = Ada ] || fail "GET /users/42: $out"
out=$(curl -sf -D "$work/headers" "$base/users?limit=1") || fail "GET /users?limit=1"
[ "$(echo "$out" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 1 ] || fail "limit: $out"
[ "$(grep -ci '^set-cookie: ' "$work/headers")" = 2 ] || fail "two Set-Cookie headers: $(cat "$work/headers")"
out=$(curl -sf -A "kindling-e2e" "$base/users/me") || fail "GET /users/me"
echo "$out" | grep -q '"me": true' || fail "GET /users/me is routed to the literal route: $out"
echo "$out" | grep -q 'kindling-e2e' || fail "user agent: $out"

head -c 2048 /dev/urandom >"$work/avatar.bin"
status=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/octet-stream' \
  --data-binary "@$work/avatar.bin" "$base/users/42/avatar") || fail "PUT avatar"
[ "$status" = 204 ] || fail "PUT avatar: $status"
curl -sf -o "$work/got.bin" -D "$work/headers" "$base/users/42/avatar" || fail "GET avatar"
cmp -s "$work/avatar.bin" "$work/got.bin" || fail "the avatar came back changed"
grep -qi '^content-type: image/png' "$work/headers" || fail "avatar content type: $(cat "$work/headers")"

[ "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$base/users/42")" = 204 ] || fail "DELETE /users/42"
status=$(curl -s -o "$work/body" -w '%{http_code}' "$base/users/42")
[ "$status" = 404 ] && grep -q 'no such user 42' "$work/body" || fail "GET deleted user: $status $(cat "$work/body")"
status=$(curl -s -o "$work/body" -w '%{http_code}' -X PATCH "$base/users")
[ "$status" = 404 ] && grep -q '{"message":"Not Found"}' "$work/body" || fail "no route: $status $(cat "$work/body")"
status=$(curl -s -o "$work/body" -w '%{http_code}' "$base/boom")
[ "$status" = 500 ] && grep -q '{"message":"Internal Server Error"}' "$work/body" || fail "function error: $status"
# The path-based form, for clients that cannot resolve *.localhost.
curl -sf "$endpoint/execute-api/$api_id/users/7" | grep -q Grace || fail "path-based form"

# --- bad input: API Gateway's errors, nothing stored ---
out=$($v1 apigatewayv2 create-route --api-id "$api_id" --route-key "GET /users" 2>&1) && fail "duplicate route accepted"
echo "$out" | grep -q "ConflictException" || fail "duplicate route: $out"
out=$($v1 apigatewayv2 create-route --api-id "$api_id" --route-key "DELETE /users/{userId}" 2>&1) \
  && fail "clashing variable accepted"
echo "$out" | grep -q "ConflictException.*conflicting variable" || fail "clashing variable: $out"
out=$($v1 apigatewayv2 create-route --api-id "$api_id" --route-key "FETCH /users" 2>&1) && fail "bad route key accepted"
echo "$out" | grep -q "BadRequestException" || fail "bad route key: $out"
out=$($v1 apigatewayv2 create-integration --api-id "$api_id" --integration-type AWS_PROXY \
  --integration-uri "$function_arn" --payload-format-version 3.0 2>&1) && fail "payload 3.0 accepted"
echo "$out" | grep -q "BadRequestException" || fail "payload 3.0: $out"
out=$($v1 apigatewayv2 get-api --api-id nosuchapi0 2>&1) && fail "unknown api found"
echo "$out" | grep -q "NotFoundException" || fail "unknown api: $out"
[ "$($v1 apigatewayv2 get-routes --api-id "$api_id" --query 'length(Items)' --output text)" = 7 ] \
  || fail "a refused route was stored"

# --- quick create with CLI v2: payload 2.0, a $default route and stage ---
quick=$($v2 apigatewayv2 create-api --name quick --protocol-type HTTP --target "$function_arn" --output json) \
  || fail "quick create"
quick_id=$(echo "$quick" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ApiId"])')
echo "$quick" | grep -q "\"ApiEndpoint\": \"http://$quick_id.execute-api.localhost:$port\"" || fail "endpoint: $quick"
$v2 apigatewayv2 get-stages --api-id "$quick_id" --output json | grep -q '"AutoDeploy": true' || fail "quick stage"
$v2 lambda add-permission --function-name users --statement-id quick --action lambda:InvokeFunction \
  --principal apigateway.amazonaws.com --source-arn "arn:aws:execute-api:us-east-1:$account:$quick_id/*/\$default" \
  --output json >/dev/null || fail "add-permission quick"
out=$(curl -sf -b 'a=1; b=2' "http://$quick_id.execute-api.localhost:$port/any/path") || fail "quick create request"
echo "$out" | grep -q '"format": "2.0", "rawPath": "/any/path", "cookies": \["a=1", "b=2"\]' || fail "2.0 event: $out"
$v2 apigatewayv2 delete-api --api-id "$quick_id" || fail "delete-api"
status=$(curl -s -o /dev/null -w '%{http_code}' "http://$quick_id.execute-api.localhost:$port/users")
[ "$status" = 404 ] || fail "deleted API still serves: $status"
echo "http-api: OK"
