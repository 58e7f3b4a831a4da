#!/usr/bin/env bash
# The guides' layer flow with the real AWS CLI (Debian's v2 at /usr/bin/aws, and v1 when one is on PATH) against a
# freshly started server: publish-layer-version from a zip, update-function-configuration --layers, invoke (the
# function imports a module from the layer), the listings, a permission and its policy, and delete-layer-version,
# after which the function still runs.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
start_server
endpoint="http://127.0.0.1:$port"

mkdir -p "$work/layer/python" "$work/src"
printf 'def greet(name):\n    return "hello, " + name + " from a layer"\n' >"$work/layer/python/greeting.py"
(cd "$work/layer" && python3 -c 'import zipfile; z=zipfile.ZipFile("../layer.zip","w"); z.write("python/greeting.py"); z.close()')
printf 'import greeting\ndef handler(event, context):\n    return greeting.greet(event["name"])\n' >"$work/src/lambda_function.py"
(cd "$work/src" && python3 -c 'import zipfile; z=zipfile.ZipFile("../function.zip","w"); z.write("lambda_function.py"); z.close()')

run_flow() {
  local aws="$1" suffix="$2"
  local layer="my-layer-$suffix" name="my-function-$suffix" out arn
  out=$($aws --endpoint-url "$endpoint" lambda publish-layer-version --layer-name "$layer" \
      --description "My Python layer" --zip-file "fileb://$work/layer.zip" \
      --compatible-runtimes python3.12 python3.13 --compatible-architectures x86_64 --output json) \
    || fail "$aws publish-layer-version"
  arn=$(echo "$out" | python3 -c 'import json, sys; print(json.load(sys.stdin)["LayerVersionArn"])')
  [ "$arn" = "arn:aws:lambda:us-east-1:000000000000:layer:$layer:1" ] || fail "LayerVersionArn: $out"
  echo "$out" | grep -q '"Version": 1' || fail "Version: $out"

  $aws --endpoint-url "$endpoint" lambda create-function --function-name "$name" --runtime python3.12 \
      --handler lambda_function.handler --zip-file "fileb://$work/function.zip" \
      --role arn:aws:iam::000000000000:role/lambda-role --output json >/dev/null || fail "$aws create-function"
  out=$($aws --endpoint-url "$endpoint" lambda update-function-configuration --function-name "$name" \
      --layers "$arn" --output json) || fail "$aws update-function-configuration --layers"
  echo "$out" | grep -q "\"Arn\": \"$arn\"" || fail "Layers in the configuration: $out"
  $aws --endpoint-url "$endpoint" lambda wait function-updated-v2 --function-name "$name" \
    || fail "$aws wait function-updated-v2"

  printf '{"name": "Ada"}' >"$work/event.json"
  $aws --endpoint-url "$endpoint" lambda invoke --function-name "$name" --payload "fileb://$work/event.json" \
      --output json "$work/result.json" >/dev/null || fail "$aws invoke"
  [ "$(cat "$work/result.json")" = '"hello, Ada from a layer"' ] || fail "invoke result: $(cat "$work/result.json")"

  $aws --endpoint-url "$endpoint" lambda list-layers --compatible-runtime python3.12 --output json \
    | grep -q "\"LayerName\": \"$layer\"" || fail "$aws list-layers does not show $layer"
  $aws --endpoint-url "$endpoint" lambda list-layer-versions --layer-name "$layer" --output json \
    | grep -q "\"LayerVersionArn\": \"$arn\"" || fail "$aws list-layer-versions does not show $arn"
  local location
  location=$($aws --endpoint-url "$endpoint" lambda get-layer-version --layer-name "$layer" --version-number 1 \
      --query Content.Location --output text) || fail "$aws get-layer-version"
  curl -sf "$location" -o "$work/downloaded.zip" || fail "download of Content.Location $location"
  cmp -s "$work/downloaded.zip" "$work/layer.zip" || fail "downloaded layer differs from the uploaded zip"
  $aws --endpoint-url "$endpoint" lambda get-layer-version-by-arn --arn "$arn" --output json \
    | grep -q '"Description": "My Python layer"' || fail "$aws get-layer-version-by-arn"

  $aws --endpoint-url "$endpoint" lambda add-layer-version-permission --layer-name "$layer" --version-number 1 \
      --statement-id xaccount --action lambda:GetLayerVersion --principal 210987654321 --output json >/dev/null \
    || fail "$aws add-layer-version-permission"
  $aws --endpoint-url "$endpoint" lambda get-layer-version-policy --layer-name "$layer" --version-number 1 \
      --query Policy --output text | grep -q '"AWS":"arn:aws:iam::210987654321:root"' \
    || fail "$aws get-layer-version-policy"
  local err
  err=$($aws --endpoint-url "$endpoint" lambda add-layer-version-permission --layer-name "$layer" \
      --version-number 1 --statement-id xaccount --action lambda:GetLayerVersion --principal '*' 2>&1) \
    && fail "a duplicate statement id was accepted"
  echo "$err" | grep -q "ResourceConflictException" || fail "error for a duplicate statement id: $err"

  $aws --endpoint-url "$endpoint" lambda delete-layer-version --layer-name "$layer" --version-number 1 \
    || fail "$aws delete-layer-version"
  $aws --endpoint-url "$endpoint" lambda invoke --function-name "$name" --payload "fileb://$work/event.json" \
      --output json "$work/result.json" >/dev/null || fail "$aws invoke after delete-layer-version"
  [ "$(cat "$work/result.json")" = '"hello, Ada from a layer"' ] \
    || fail "invoke after the layer version was deleted: $(cat "$work/result.json")"
  echo "ok: $aws ($($aws --version 2>&1 | cut -d' ' -f1))"
}

run_flow /usr/bin/aws v2
v1=$(command -v aws || true)
if [ -n "$v1" ] && [ "$v1" != /usr/bin/aws ] && "$v1" --version 2>&1 | grep -q "aws-cli/1"; then
  run_flow "$v1" v1
fi
