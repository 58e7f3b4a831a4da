#!/usr/bin/env bash
# EventBridge with the real clients against a live server: rules made with CLI v2 (a rate and a cron schedule) and
# boto3 (an event pattern with an input transformer), PutEvents with a matching and a non-matching event, CLI v1's
# list/describe/test-event-pattern, AWS's errors for bad input (boto3 without client-side validation), then a restart
# whose schedule clock reads tomorrow 11:59:57 UTC: the cron rule fires at noon and the rate rule at its minute,
# both with the Scheduled Event, read back from the function's CloudWatch logs.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
start_server
endpoint="http://127.0.0.1:$port"
v2="/usr/bin/aws --endpoint-url $endpoint"
v1="aws --endpoint-url $endpoint"
account=000000000000

mkdir -p "$work/src"
printf 'import json\ndef handler(event, context):\n    print("EVENT " + json.dumps(event, sort_keys=True))\n' \
  >"$work/src/lambda_function.py"
(cd "$work/src" && python3 -c 'import zipfile; z=zipfile.ZipFile("../function.zip","w"); z.write("lambda_function.py"); z.close()')
for fn in scheduled orders; do
  $v2 lambda create-function --function-name $fn --runtime python3.12 --handler lambda_function.handler \
    --zip-file "fileb://$work/function.zip" --role arn:aws:iam::$account:role/lambda-role --output json >/dev/null \
    || fail "create-function $fn"
done
fn_arn="arn:aws:lambda:us-east-1:$account:function"

# CLI v2: two schedules on one function, each allowed to invoke it (AWS requires the permission; so does Kindling).
for rule in "every-minute:rate(1 minute)" "noon:cron(0 12 * * ? *)"; do
  name=${rule%%:*}
  arn=$($v2 events put-rule --name "$name" --schedule-expression "${rule#*:}" --query RuleArn --output text) \
    || fail "put-rule $name"
  [ "$arn" = "arn:aws:events:us-east-1:$account:rule/$name" ] || fail "put-rule $name answered $arn"
  $v2 events put-targets --rule "$name" --targets "Id=fn,Arn=$fn_arn:scheduled" --output json \
    | grep -q '"FailedEntryCount": 0' || fail "put-targets $name"
  $v2 lambda add-permission --function-name scheduled --statement-id "events-$name" --action lambda:InvokeFunction \
    --principal events.amazonaws.com --source-arn "$arn" >/dev/null || fail "add-permission $name"
done

# boto3: a pattern rule with an input transformer, PutEvents, and the errors of bad input.
python3 - "$endpoint" "$fn_arn" <<'PY' || fail "boto3 part"
import json, sys, boto3
from botocore.config import Config
endpoint, fn_arn = sys.argv[1], sys.argv[2]
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
events = boto3.client("events", **kw)
lam = boto3.client("lambda", **kw)
raw = boto3.client("events", config=Config(parameter_validation=False), **kw)
rule_arn = events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"], "detail-type": ["Order"]}))["RuleArn"]
lam.add_permission(FunctionName="orders", StatementId="events-orders", Action="lambda:InvokeFunction",
                   Principal="events.amazonaws.com", SourceArn=rule_arn)
events.put_targets(Rule="orders", Targets=[{"Id": "fn", "Arn": fn_arn + ":orders", "InputTransformer": {
    "InputPathsMap": {"id": "$.detail.id"}, "InputTemplate": '{"order": <id>, "note": "order <id> via <aws.events.rule-name>"}'}}])
put = events.put_events(Entries=[
    {"Source": "shop", "DetailType": "Order", "Detail": json.dumps({"id": "o-42"})},
    {"Source": "elsewhere", "DetailType": "Order", "Detail": json.dumps({"id": "o-43"})}])
assert put["FailedEntryCount"] == 0 and all(len(e["EventId"]) == 36 for e in put["Entries"]), put

def error(call, code, fragment=""):
    try:
        call()
    except raw.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == code, (code, e.response)
        assert fragment in e.response["Error"]["Message"], (fragment, e.response)
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response
        return
    raise AssertionError("no " + code)
error(lambda: raw.put_rule(Name="bad", ScheduleExpression="rate(5 minute)"), "ValidationException",
      "Parameter ScheduleExpression is not valid.")
error(lambda: raw.put_rule(Name="bad", ScheduleExpression="cron(0 12 * * *)"), "ValidationException",
      "Parameter ScheduleExpression is not valid.")
error(lambda: raw.put_rule(Name="bad", EventPattern='{"source": "x"}'), "InvalidEventPatternException",
      "Event pattern is not valid.")
error(lambda: raw.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:000000000000:q"}]),
      "ValidationException", "only to Lambda functions")
error(lambda: raw.describe_rule(Name="nope"), "ResourceNotFoundException", "Rule nope does not exist on EventBus default.")
error(lambda: raw.list_rules(EventBusName="nope"), "ResourceNotFoundException", "Event bus nope does not exist.")
error(lambda: raw.put_rule(Name="x" * 65, EventPattern='{"source": ["a"]}'), "ValidationException",
      "Member must have length less than or equal to 64")
error(lambda: raw.delete_rule(Name="orders"), "ValidationException", "Rule can't be deleted since it has targets.")
assert [r["Name"] for r in events.list_rules(NamePrefix="bad")["Rules"]] == [], "a refused rule was stored"
PY

logs_of() { $v2 logs filter-log-events --log-group-name "/aws/lambda/$1" --filter-pattern EVENT --query 'events[].message' --output text 2>/dev/null; }
has_log() { logs_of "$1" | grep -q -- "$2"; }
wait_for 60 has_log orders '"note": "order o-42 via orders", "order": "o-42"' \
  || fail "the matching event did not reach its function transformed: $(logs_of orders)"
if logs_of orders | grep -q o-43; then fail "the non-matching event was delivered: $(logs_of orders)"; fi

# CLI v1: reads, and TestEventPattern.
if command -v aws >/dev/null && [ "$(command -v aws)" != /usr/bin/aws ]; then
  $v1 events list-rules --output json | grep -q '"Name": "every-minute"' || fail "v1 list-rules"
  $v1 events describe-rule --name noon --query ScheduleExpression --output text | grep -qx 'cron(0 12 \* \* ? \*)' \
    || fail "v1 describe-rule"
  $v1 events list-targets-by-rule --rule orders --output json | grep -q '"InputTemplate"' || fail "v1 list-targets-by-rule"
  $v1 events test-event-pattern --event-pattern '{"source": [{"prefix": "sh"}]}' --event \
    "{\"id\": \"1\", \"account\": \"$account\", \"source\": \"shop\", \"time\": \"2030-01-01T00:00:00Z\", \"region\": \"us-east-1\", \"detail-type\": \"x\", \"resources\": [], \"detail\": {}}" \
    --query Result --output text | grep -qx True || fail "v1 test-event-pattern"
fi

# EventBridge Scheduler: a cron schedule at 21:00 in Tokyo (noon UTC) made with CLI v2, a one-time at() at noon UTC
# written in Paris time that deletes itself once run (boto3), and the errors of bad input.
tomorrow=$(date -u -d tomorrow +%Y-%m-%d)
$v2 scheduler create-schedule --name tokyo-nine --schedule-expression "cron(0 21 * * ? *)" \
  --schedule-expression-timezone Asia/Tokyo --flexible-time-window Mode=OFF \
  --target "{\"Arn\": \"$fn_arn:scheduled\", \"RoleArn\": \"arn:aws:iam::$account:role/scheduler\", \"Input\": \"{\\\"schedule\\\": \\\"<aws.scheduler.schedule-arn>\\\", \\\"at\\\": \\\"<aws.scheduler.scheduled-time>\\\"}\"}" \
  --query ScheduleArn --output text | grep -qx "arn:aws:scheduler:us-east-1:$account:schedule/default/tokyo-nine" \
  || fail "scheduler create-schedule"
python3 - "$endpoint" "$fn_arn" "$tomorrow" <<'PY' || fail "boto3 scheduler part"
import datetime, sys, zoneinfo, boto3
from botocore.config import Config
endpoint, fn_arn, tomorrow = sys.argv[1], sys.argv[2], sys.argv[3]
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
scheduler = boto3.client("scheduler", **kw)
raw = boto3.client("scheduler", config=Config(parameter_validation=False), **kw)
noon = datetime.datetime.fromisoformat(tomorrow + "T12:00:00+00:00")
paris = noon.astimezone(zoneinfo.ZoneInfo("Europe/Paris")).strftime("%Y-%m-%dT%H:%M:%S")
target = {"Arn": fn_arn + ":scheduled", "RoleArn": "arn:aws:iam::000000000000:role/scheduler",
          "Input": '{"once": "<aws.scheduler.scheduled-time>"}'}
scheduler.create_schedule(Name="paris-once", ScheduleExpression=f"at({paris})", ScheduleExpressionTimezone="Europe/Paris",
                          FlexibleTimeWindow={"Mode": "OFF"}, Target=target, ActionAfterCompletion="DELETE")
got = scheduler.get_schedule(Name="paris-once")
assert got["ScheduleExpression"] == f"at({paris})" and got["State"] == "ENABLED" and got["Target"]["Input"] == target["Input"], got
assert got["Arn"].endswith(":schedule/default/paris-once"), got
names = [s["Name"] for s in scheduler.list_schedules()["Schedules"]]
assert names == ["paris-once", "tokyo-nine"], names

def error(call, code, status, fragment):
    try:
        call()
    except raw.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == code, (code, e.response)
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == status, e.response
        assert fragment in e.response["Error"]["Message"], (fragment, e.response)
        return
    raise AssertionError("no " + code)
error(lambda: raw.create_schedule(Name="bad", ScheduleExpression="rate(10 seconds)", FlexibleTimeWindow={"Mode": "OFF"},
                                  Target=target), "ValidationException", 400, "Invalid Schedule Expression rate(10 seconds).")
error(lambda: raw.create_schedule(Name="paris-once", ScheduleExpression="rate(5 minutes)", FlexibleTimeWindow={"Mode": "OFF"},
                                  Target=target), "ConflictException", 409, "Schedule paris-once already exists.")
error(lambda: raw.create_schedule(Name="bad", ScheduleExpression="rate(5 minutes)", FlexibleTimeWindow={"Mode": "OFF"},
                                  Target=dict(target, Arn="arn:aws:sqs:us-east-1:000000000000:q")), "ValidationException", 400,
      "invoke Lambda functions")
error(lambda: raw.create_schedule(Name="bad", ScheduleExpression="rate(5 minutes)", FlexibleTimeWindow={"Mode": "OFF"},
                                  ScheduleExpressionTimezone="Mars/Olympus", Target=target), "ValidationException", 400, "Mars/Olympus")
error(lambda: raw.get_schedule(Name="nope"), "ResourceNotFoundException", 404, "Schedule nope does not exist.")
error(lambda: raw.create_schedule(Name="bad", ScheduleExpression="rate(5 minutes)", Target=target), "ValidationException", 400,
      "flexibleTimeWindow")
assert "bad" not in [s["Name"] for s in scheduler.list_schedules()["Schedules"]], "a refused schedule was stored"
PY

# Restart with the schedule clock at tomorrow 11:59:57 UTC: the noon schedules are due three seconds later.
stop_server
start_server --schedule-clock-start "${tomorrow}T11:59:57Z"
wait_for 90 has_log scheduled "\"resources\": \[\"arn:aws:events:us-east-1:$account:rule/noon\"\], \"source\": \"aws.events\", \"time\": \"${tomorrow}T12:00:00Z\"" \
  || fail "the cron rule did not fire at noon: $(logs_of scheduled)"
wait_for 90 has_log scheduled "\"resources\": \[\"arn:aws:events:us-east-1:$account:rule/every-minute\"\]" \
  || fail "the rate rule did not fire: $(logs_of scheduled)"
event=$(logs_of scheduled | tr '\t' '\n' | grep 'rule/noon' | head -1)
for field in '"account": "000000000000"' '"detail": {}' '"detail-type": "Scheduled Event"' '"region": "us-east-1"' \
    '"version": "0"' '"id": "'; do
  echo "$event" | grep -q -- "$field" || fail "the Scheduled Event lacks $field: $event"
done
[ "$(logs_of scheduled | tr '\t' '\n' | grep -c "rule/noon")" = 1 ] || fail "noon fired more than once: $(logs_of scheduled)"
wait_for 60 has_log scheduled "\"at\": \"${tomorrow}T12:00:00Z\", \"schedule\": \"arn:aws:scheduler:us-east-1:$account:schedule/default/tokyo-nine\"" \
  || fail "the Tokyo schedule did not fire at 21:00 Tokyo time: $(logs_of scheduled)"
wait_for 60 has_log scheduled "\"once\": \"${tomorrow}T12:00:00Z\"" || fail "the at() schedule did not fire: $(logs_of scheduled)"
gone() { out=$($v2 scheduler get-schedule --name paris-once 2>&1) && return 1; echo "$out" | grep -q ResourceNotFoundException; }
wait_for 30 gone || fail "the at() schedule with ActionAfterCompletion DELETE is still there"
echo "events: OK"
