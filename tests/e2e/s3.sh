#!/usr/bin/env bash
# S3 on Kindling's endpoint as a new user drives it with both AWS CLIs, boto3 and curl: mb, cp (a multipart upload
# past the CLIs' 8 MB threshold) and back, ls, the s3api object calls, presigned URLs (CLI v1 signs them with
# signature version 2, CLI v2 with version 4) fetched with curl, a function created from a zip in a bucket (and
# the errors for a missing bucket or key), a bucket notification with a prefix filter invoking a Python function
# that prints the event (its record's shape asserted from the function's log), a function S3 may not invoke refused
# at configuration, bad input (bucket names, long keys, overlapping filters, unknown events), the image-resizer
# pattern (a notified function reads the upload with the bundled boto3 and writes thumbnails/<key>), then a restart:
# objects and the notification configuration are still there, and an upload still invokes the function.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
start_server
endpoint="http://127.0.0.1:$port"
v2="/usr/bin/aws --endpoint-url $endpoint --output json"
v1=$(command -v aws || true)
if [ -n "$v1" ] && [ "$v1" != /usr/bin/aws ] && "$v1" --version 2>&1 | grep -q "aws-cli/1"; then
  v1="$v1 --endpoint-url $endpoint --output json"
else
  v1="$v2" # no CLI v1 here: CLI v2 plays both parts
fi

# Objects with both CLIs.
$v1 s3 mb s3://photos >/dev/null || fail "s3 mb"
head -c 12000000 /dev/urandom >"$work/big.bin"
echo "small file" >"$work/small.txt"
$v2 s3 cp --only-show-errors "$work/big.bin" s3://photos/big/v2.bin || fail "CLI v2 multipart cp"
$v1 s3 cp --only-show-errors "$work/big.bin" s3://photos/big/v1.bin || fail "CLI v1 multipart cp"
$v1 s3 cp --only-show-errors "$work/small.txt" "s3://photos/notes/a note.txt" || fail "cp small"
$v2 s3 cp --only-show-errors s3://photos/big/v1.bin "$work/back.bin" || fail "cp back"
cmp -s "$work/big.bin" "$work/back.bin" || fail "the object read back differs from the file uploaded"
$v1 s3api head-object --bucket photos --key big/v2.bin | grep -q '"ETag": "\\"[0-9a-f]*-2\\""' \
  || fail "a 12 MB cp should be a two-part multipart upload"
listing=$($v2 s3 ls --recursive s3://photos) || fail "s3 ls"
for key in big/v1.bin big/v2.bin "notes/a note.txt"; do
  grep -q "$key" <<<"$listing" || fail "s3 ls lacks $key: $listing"
done
$v2 s3api put-object --bucket photos --key api/one.json --body "$work/small.txt" >/dev/null || fail "put-object"
$v1 s3api get-object --bucket photos --key api/one.json "$work/one.json" >/dev/null || fail "get-object"
cmp -s "$work/small.txt" "$work/one.json" || fail "get-object content"
keys=$($v1 s3api list-objects-v2 --bucket photos --prefix api/ --query 'Contents[].Key' --output text)
[ "$keys" = "api/one.json" ] || fail "list-objects-v2: $keys"
$v2 s3api delete-object --bucket photos --key api/one.json || fail "delete-object"
$v1 s3api head-object --bucket photos --key api/one.json >/dev/null 2>&1 && fail "deleted object still there"

# Presigned URLs and curl.
for cli in "$v1" "$v2"; do
  url=$($cli s3 presign "s3://photos/notes/a note.txt" --expires-in 300) || fail "s3 presign"
  [ "$(curl -s "$url")" = "small file" ] || fail "presigned GET with $cli: $(curl -s "$url")"
  code=$(curl -s -o "$work/body" -w '%{http_code}' "${url/notes/other}")
  [ "$code" = 403 ] && grep -q "<Code>SignatureDoesNotMatch</Code>" "$work/body" \
    || fail "a presigned URL for another key: $code $(cat "$work/body")"
done
# S3's signature version 2 in the Authorization header too (boto3's legacy "s3" signer), and a wrong secret refused.
python3 - "$endpoint" <<'PY' || fail "signature version 2 in the Authorization header"
import boto3, botocore.config, botocore.exceptions, sys
v2 = boto3.client("s3", endpoint_url=sys.argv[1], config=botocore.config.Config(signature_version="s3"))
assert v2.get_object(Bucket="photos", Key="notes/a note.txt")["Body"].read() == b"small file\n"
v2.put_object(Bucket="photos", Key="notes/v2.txt", Body=b"signed the old way")
wrong = boto3.client("s3", endpoint_url=sys.argv[1], aws_secret_access_key="wrong", aws_access_key_id="test",
                     config=botocore.config.Config(signature_version="s3"))
try:
    wrong.list_objects(Bucket="photos")
    raise AssertionError("a wrong secret was accepted")
except botocore.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "SignatureDoesNotMatch", e.response
PY
code=$(curl -s -o "$work/body" -w '%{http_code}' "$endpoint/photos/big/v1.bin" -H "Host: s3.localhost:$port")
[ "$code" = 403 ] && grep -q "<Code>AccessDenied</Code>" "$work/body" || fail "unsigned GET: $code"

# Bad input.
out=$($v1 s3 mb s3://Bad_Bucket 2>&1) && fail "a bucket name S3 forbids was accepted"
grep -q InvalidBucketName <<<"$out" || fail "bad bucket name: $out"
out=$($v2 s3api put-object --bucket photos --key "$(printf 'k%.0s' $(seq 1025))" --body "$work/small.txt" 2>&1) \
  && fail "a key over 1,024 bytes was accepted"
grep -q KeyTooLongError <<<"$out" || fail "long key: $out"

# A function from a zip in a bucket.
mkdir -p "$work/src"
cat >"$work/src/lambda_function.py" <<'PY'
import json

def handler(event, context):
    print("S3-EVENT " + json.dumps(event))
    return {"records": len(event.get("Records", []))}
PY
(cd "$work/src" && python3 -c 'import zipfile; z=zipfile.ZipFile("../fn.zip","w"); z.write("lambda_function.py"); z.close()')
$v1 s3 cp --only-show-errors "$work/fn.zip" s3://photos/deploy/fn.zip || fail "upload the zip"
role=arn:aws:iam::000000000000:role/lambda-role
$v2 lambda create-function --function-name on-upload --runtime python3.12 --handler lambda_function.handler \
    --role $role --code S3Bucket=photos,S3Key=deploy/fn.zip >/dev/null || fail "create-function from S3"
out=$($v2 lambda create-function --function-name nope --runtime python3.12 --handler lambda_function.handler \
    --role $role --code S3Bucket=no-such-bucket,S3Key=deploy/fn.zip 2>&1) && fail "a missing bucket was accepted"
grep -q "S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist" <<<"$out" \
  || fail "missing bucket: $out"
out=$($v1 lambda update-function-code --function-name on-upload --s3-bucket photos --s3-key deploy/none.zip 2>&1) \
  && fail "a missing key was accepted"
grep -q "S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist." <<<"$out" \
  || fail "missing key: $out"

# Notifications: refused until S3 may invoke the function, then one upload under uploads/ invokes it.
config='{"LambdaFunctionConfigurations":[{"Id":"new-uploads","LambdaFunctionArn":"arn:aws:lambda:us-east-1:000000000000:function:on-upload","Events":["s3:ObjectCreated:*"],"Filter":{"Key":{"FilterRules":[{"Name":"prefix","Value":"uploads/"}]}}}]}'
python3 - "$endpoint" <<'PY' || fail "configuration S3 may not invoke, or bad input, was not refused as S3 refuses it"
import boto3, botocore, sys
s3 = boto3.client("s3", endpoint_url=sys.argv[1])
arn = "arn:aws:lambda:us-east-1:000000000000:function:on-upload"
def refused(config, code, message):
    try:
        s3.put_bucket_notification_configuration(Bucket="photos", NotificationConfiguration=config)
    except botocore.exceptions.ClientError as e:
        error = e.response["Error"]
        assert error["Code"] == code and error["Message"] == message, error
        return error
    raise AssertionError("accepted: %s" % config)
def function(events, prefix):
    return {"LambdaFunctionArn": arn, "Events": events,
            "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": prefix}]}}}
error = refused({"LambdaFunctionConfigurations": [function(["s3:ObjectCreated:*"], "uploads/")]},
                "InvalidArgument", "Unable to validate the following destination configurations")
assert error["ArgumentName1"] == arn + ", null", error
assert error["ArgumentValue1"] == "Not authorized to invoke function [%s]" % arn, error
refused({"LambdaFunctionConfigurations": [function(["s3:ObjectCreated:Sideways"], "uploads/")]},
        "InvalidArgument", "The event is not supported for notifications")
refused({"LambdaFunctionConfigurations": [function(["s3:ObjectCreated:*"], "uploads/"),
                                          function(["s3:ObjectCreated:Put"], "uploads/raw/")]},
        "InvalidArgument", "Configurations overlap. Configurations on the same bucket cannot share a common event type.")
PY
$v2 lambda add-permission --function-name on-upload --statement-id s3-photos --action lambda:InvokeFunction \
    --principal s3.amazonaws.com --source-arn arn:aws:s3:::photos --source-account 000000000000 >/dev/null \
  || fail "add-permission for S3"
$v1 s3api put-bucket-notification-configuration --bucket photos --notification-configuration "$config" \
  || fail "put-bucket-notification-configuration"
$v2 s3api get-bucket-notification-configuration --bucket photos | grep -q '"Value": "uploads/"' \
  || fail "get-bucket-notification-configuration"
$v2 s3 cp --only-show-errors "$work/small.txt" "s3://photos/elsewhere/skipped.txt" || fail "cp outside uploads/"
$v1 s3 cp --only-show-errors "$work/small.txt" "s3://photos/uploads/my photo.jpg" || fail "cp into uploads/"
events() { $v2 logs filter-log-events --log-group-name /aws/lambda/on-upload --filter-pattern S3-EVENT \
    --query 'events[].message' --output json 2>/dev/null || echo '[]'; }
logged() { [ "$(events | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -ge "$1" ]; }
wait_for 60 logged 1 || fail "no invocation within 60 s of the upload"
events | python3 -c '
import json, sys
messages = json.load(sys.stdin)
assert len(messages) == 1, messages
record = json.loads(messages[0].split("S3-EVENT ", 1)[1])["Records"][0]
assert record["eventVersion"] == "2.1" and record["eventSource"] == "aws:s3", record
assert record["awsRegion"] == "us-east-1" and record["eventName"] == "ObjectCreated:Put", record
assert record["userIdentity"]["principalId"] and record["requestParameters"]["sourceIPAddress"] == "127.0.0.1"
assert set(record["responseElements"]) == {"x-amz-request-id", "x-amz-id-2"}, record
s3 = record["s3"]
assert s3["s3SchemaVersion"] == "1.0" and s3["configurationId"] == "new-uploads", s3
assert s3["bucket"]["name"] == "photos" and s3["bucket"]["arn"] == "arn:aws:s3:::photos", s3
assert s3["object"]["key"] == "uploads/my+photo.jpg" and s3["object"]["size"] == 11, s3
assert len(s3["object"]["eTag"]) == 32 and s3["object"]["sequencer"], s3
' || fail "the event record: $(events)"

# The image-resizer pattern: the notified function reads the upload with the boto3 Kindling bundles (its endpoint
# and credentials from the environment, nothing configured by hand) and writes thumbnails/<key>.
mkdir -p "$work/resizer"
cat >"$work/resizer/lambda_function.py" <<'PY'
import boto3, urllib.parse

s3 = boto3.client("s3")

def handler(event, context):
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        image = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        s3.put_object(Bucket=bucket, Key="thumbnails/" + key, Body=image[: len(image) // 2])
        print("resized", key)
PY
(cd "$work/resizer" && python3 -c 'import zipfile; z=zipfile.ZipFile("../resizer.zip","w"); z.write("lambda_function.py"); z.close()')
$v2 lambda create-function --function-name resizer --runtime python3.12 --handler lambda_function.handler \
    --role $role --timeout 60 --zip-file "fileb://$work/resizer.zip" >/dev/null || fail "create the resizer"
$v2 lambda add-permission --function-name resizer --statement-id s3 --action lambda:InvokeFunction \
    --principal s3.amazonaws.com --source-arn arn:aws:s3:::gallery >/dev/null || fail "add-permission resizer"
$v1 s3 mb s3://gallery >/dev/null || fail "mb gallery"
$v2 s3api put-bucket-notification-configuration --bucket gallery --notification-configuration \
    '{"LambdaFunctionConfigurations":[{"LambdaFunctionArn":"arn:aws:lambda:us-east-1:000000000000:function:resizer","Events":["s3:ObjectCreated:*"],"Filter":{"Key":{"FilterRules":[{"Name":"prefix","Value":"images/"}]}}}]}' \
  || fail "gallery notification"
head -c 4000 /dev/urandom >"$work/cat.jpg"
$v1 s3 cp --only-show-errors "$work/cat.jpg" "s3://gallery/images/my cat.jpg" || fail "upload the image"
thumbnail() { $v2 s3api get-object --bucket gallery --key "thumbnails/images/my cat.jpg" "$work/thumb.jpg" >/dev/null 2>&1; }
wait_for 90 thumbnail || fail "no thumbnail within 90 s: $($v2 logs filter-log-events --log-group-name \
    /aws/lambda/resizer --query 'events[].message' --output text 2>&1 | tail -c 2000)"
cmp -s "$work/thumb.jpg" <(head -c 2000 "$work/cat.jpg") || fail "the thumbnail is not the function's"
$v2 s3 rb --force s3://gallery >/dev/null || fail "rb gallery"

# A restart keeps objects and the configuration.
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
start_server
$v1 s3 cp --only-show-errors s3://photos/big/v2.bin "$work/after.bin" || fail "cp after the restart"
cmp -s "$work/big.bin" "$work/after.bin" || fail "the object changed across the restart"
$v2 s3api get-bucket-notification-configuration --bucket photos | grep -q '"Id": "new-uploads"' \
  || fail "the configuration did not survive the restart"
$v2 s3 cp --only-show-errors "$work/small.txt" "s3://photos/uploads/after-restart.txt" || fail "cp after restart"
wait_for 60 logged 2 || fail "no invocation for the upload after the restart"

$v1 s3 rb --force s3://photos >/dev/null || fail "s3 rb --force"
$v2 s3 ls | grep -q photos && fail "the bucket outlived rb"
echo "ok: S3 with both CLIs, boto3 and curl; code from a bucket; notifications; the image resizer; a restart"
