#!/usr/bin/env bash
# CloudWatch's metrics API in each of its three wire protocols, with real clients against a live server: a function
# invoked 3 times (one failing), then its AWS/Lambda metrics read back with the AWS CLI v1 and boto3 (JSON 1.0),
# boto3 made to speak Smithy RPC v2 CBOR (the protocol botocore lists first; the SDK for Java v2 speaks it in
# CloudWatchTest), the AWS CLI v2 of Debian (query protocol, XML), and the SDK for JavaScript v3 (JSON 1.0, as the
# web console) when it is installed (KINDLING_JS_SDK: a directory whose node_modules has @aws-sdk/client-cloudwatch).
# Errors come back as AWS's in each protocol.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
start_server
endpoint="http://127.0.0.1:$port"
v2="/usr/bin/aws --endpoint-url $endpoint"
v1="aws --endpoint-url $endpoint"

mkdir -p "$work/src"
printf 'def handler(event, context):\n    if event.get("fail"):\n        raise ValueError("failing on purpose")\n    return "ok"\n' >"$work/src/lambda_function.py"
(cd "$work/src" && python3 -c 'import zipfile; z=zipfile.ZipFile("../function.zip","w"); z.write("lambda_function.py"); z.close()')
$v2 lambda create-function --function-name watched --runtime python3.12 --handler lambda_function.handler \
  --zip-file "fileb://$work/function.zip" --role arn:aws:iam::000000000000:role/lambda-role --output json >/dev/null \
  || fail "create-function"
$v2 lambda wait function-active-v2 --function-name watched || fail "wait function-active-v2"
for payload in '{}' '{}' '{"fail": true}'; do
  $v2 lambda invoke --function-name watched --payload "$payload" --cli-binary-format raw-in-base64-out "$work/out.json" \
    >/dev/null || fail "invoke"
done
start=$(date -u -d '-10 min' +%Y-%m-%dT%H:%M:%SZ)
end=$(date -u -d '+2 min' +%Y-%m-%dT%H:%M:%SZ)

# CLI v1 (botocore picks JSON 1.0): GetMetricStatistics, one period of an hour.
out=$($v1 cloudwatch get-metric-statistics --namespace AWS/Lambda --metric-name Invocations \
  --dimensions Name=FunctionName,Value=watched --start-time "$start" --end-time "$end" --period 3600 \
  --statistics Sum --query 'sum(Datapoints[].Sum)' --output text) || fail "v1 get-metric-statistics"
[ "$out" = "3.0" ] || fail "v1 get-metric-statistics: Invocations $out, expected 3.0"

# CLI v2 2.9 (query protocol, XML answers): GetMetricData, ListMetrics, an error.
query='[{"Id":"errors","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Errors","Dimensions":[{"Name":"FunctionName","Value":"watched"}]},"Period":3600,"Stat":"Sum"}},{"Id":"p99","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Duration","Dimensions":[{"Name":"FunctionName","Value":"watched"}]},"Period":3600,"Stat":"p99"}}]'
out=$($v2 cloudwatch get-metric-data --metric-data-queries "$query" --start-time "$start" --end-time "$end" \
  --query 'MetricDataResults[?Id==`errors`].Values[]' --output text) || fail "v2 get-metric-data"
[ "$out" = "1.0" ] || fail "v2 get-metric-data: Errors $out, expected 1.0"
out=$($v2 cloudwatch get-metric-data --metric-data-queries "$query" --start-time "$start" --end-time "$end" \
  --query 'MetricDataResults[?Id==`p99`].Values[0]' --output text) || fail "v2 get-metric-data p99"
python3 -c "import sys; assert float(sys.argv[1]) > 0" "$out" || fail "v2 get-metric-data: Duration p99 '$out'"
out=$($v2 cloudwatch list-metrics --namespace AWS/Lambda --metric-name Duration \
  --dimensions Name=FunctionName,Value=watched --output json) || fail "v2 list-metrics"
echo "$out" | grep -q '"Value": "watched"' || fail "v2 list-metrics: $out"
out=$($v2 cloudwatch get-metric-data --metric-data-queries "$query" --start-time "$end" --end-time "$start" 2>&1) \
  && fail "v2 get-metric-data with StartTime after EndTime succeeded"
echo "$out" | grep -q "(InvalidParameterValue).*StartTime must be less than the parameter EndTime" \
  || fail "v2 error: $out"
out=$($v2 cloudwatch describe-alarms 2>&1) && fail "v2 describe-alarms succeeded"
echo "$out" | grep -q "(NotImplemented)" || fail "v2 describe-alarms: $out"

# boto3 in JSON 1.0 and in Smithy RPC v2 CBOR: PutMetricData read back, the function's metrics, an error.
python3 - "$endpoint" <<'PY' || fail "boto3"
import sys, datetime, botocore.session
endpoint = sys.argv[1]
def client(protocol):
    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    load = loader.load_service_model
    def only(service, kind, api_version=None):
        model = load(service, kind, api_version)
        if service == "cloudwatch" and kind == "service-2":
            model = dict(model, metadata=dict(model["metadata"], protocol=protocol, protocols=[protocol]))
        return model
    loader.load_service_model = only
    return session.create_client("cloudwatch", endpoint_url=endpoint, region_name="us-east-1",
                                 aws_access_key_id="test", aws_secret_access_key="test")
now = datetime.datetime.now(datetime.timezone.utc)
window = dict(StartTime=now - datetime.timedelta(minutes=10), EndTime=now + datetime.timedelta(minutes=2))
for protocol in ("json", "smithy-rpc-v2-cbor"):
    cw = client(protocol)
    assert cw.meta.service_model.protocol == protocol
    cw.put_metric_data(Namespace="E2E/" + protocol, MetricData=[
        {"MetricName": "Latency", "Values": [10.0, 20.0, 30.0], "Counts": [1.0, 2.0, 1.0], "Unit": "Milliseconds",
         "Dimensions": [{"Name": "Service", "Value": "shop"}], "Timestamp": now}])
    stat = lambda s: {"Metric": {"Namespace": "E2E/" + protocol, "MetricName": "Latency",
                                 "Dimensions": [{"Name": "Service", "Value": "shop"}]}, "Period": 300, "Stat": s}
    results = cw.get_metric_data(MetricDataQueries=[{"Id": "n", "MetricStat": stat("SampleCount")},
                                                    {"Id": "avg", "MetricStat": stat("Average")}], **window)
    values = {r["Id"]: r["Values"] for r in results["MetricDataResults"]}
    assert values == {"n": [4.0], "avg": [20.0]}, (protocol, values)
    assert all(isinstance(t, datetime.datetime) for r in results["MetricDataResults"] for t in r["Timestamps"])
    points = cw.get_metric_statistics(Namespace="AWS/Lambda", MetricName="Errors", Period=3600,
                                      Dimensions=[{"Name": "FunctionName", "Value": "watched"}],
                                      Statistics=["Sum", "SampleCount"], **window)["Datapoints"]
    assert sum(p["Sum"] for p in points) == 1 and sum(p["SampleCount"] for p in points) == 3, (protocol, points)
    try:
        cw.put_metric_data(Namespace="E2E", MetricData=[{"MetricName": "M", "Value": 1.0, "Values": [1.0]}])
        raise AssertionError("Value and Values together were accepted")
    except cw.exceptions.InvalidParameterCombinationException as e:
        error = e.response["Error"]
        assert error["Code"] == "InvalidParameterCombination" and error["Type"] == "Sender", error
        assert "mutually exclusive" in error["Message"], error
    print(protocol, "ok")
PY

# The SDK for JavaScript v3, as the web console calls it, when it is installed.
if [ -n "${KINDLING_JS_SDK:-}" ] && [ -d "$KINDLING_JS_SDK/node_modules/@aws-sdk/client-cloudwatch" ]; then
  cat >"$work/cw.mjs" <<'JS'
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
const cw = new CloudWatchClient({ endpoint: process.argv[2], region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" } });
const now = Date.now();
const metric = { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: "watched" }] };
const r = await cw.send(new GetMetricDataCommand({ StartTime: new Date(now - 600000), EndTime: new Date(now + 120000),
  MetricDataQueries: [{ Id: "m1", MetricStat: { Metric: metric, Period: 3600, Stat: "Sum" } }] }));
const total = r.MetricDataResults[0].Values.reduce((a, b) => a + b, 0);
if (total !== 3 || !(r.MetricDataResults[0].Timestamps[0] instanceof Date)) { console.error(JSON.stringify(r)); process.exit(1); }
console.log("javascript ok");
JS
  cp "$work/cw.mjs" "$KINDLING_JS_SDK/kindling-cw-e2e.mjs"
  node "$KINDLING_JS_SDK/kindling-cw-e2e.mjs" "$endpoint" 2>/dev/null || fail "SDK for JavaScript v3"
  rm -f "$KINDLING_JS_SDK/kindling-cw-e2e.mjs"
else
  echo "SKIPPED: the SDK for JavaScript v3 (set KINDLING_JS_SDK to a directory with @aws-sdk/client-cloudwatch installed)"
fi
echo "PASS: cloudwatch"
