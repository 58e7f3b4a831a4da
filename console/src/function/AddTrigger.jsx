// "Add trigger": the forms for each kind Kindling serves (function URL, EventBridge schedule, SQS queue, HTTP API,
// S3 bucket), each making the trigger and the resource policy statement its service needs, as AWS's console does.
import { useState } from "preact/hooks";
import { CreateEventSourceMappingCommand, AddPermissionCommand } from "@aws-sdk/client-lambda";
import { PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { ListQueuesCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { CreateApiCommand } from "@aws-sdk/client-apigatewayv2";
import { ListBucketsCommand, GetBucketNotificationConfigurationCommand, PutBucketNotificationConfigurationCommand } from "@aws-sdk/client-s3";
import { aws } from "../aws.js";
import { Action, Field, Loaded, useLoad } from "../ui.jsx";
import { UrlForm, createUrl } from "./FunctionUrl.jsx";

export function AddTrigger({ config, onDone, onCancel }) {
  const [kind, setKind] = useState("url");
  return (
    <div class="panel add-trigger">
      <h3>Add trigger</h3>
      <Field label="Trigger">
        <select aria-label="Trigger" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
          <option value="url">Function URL</option>
          <option value="schedule">EventBridge (schedule)</option>
          <option value="sqs">SQS</option>
          <option value="httpapi">API Gateway (HTTP API)</option>
          <option value="s3">S3</option>
        </select>
      </Field>
      {kind === "url" && <UrlTrigger config={config} onDone={onDone} />}
      {kind === "schedule" && <ScheduleTrigger config={config} onDone={onDone} />}
      {kind === "sqs" && <SqsTrigger config={config} onDone={onDone} />}
      {kind === "httpapi" && <HttpApiTrigger config={config} onDone={onDone} />}
      {kind === "s3" && <S3Trigger config={config} onDone={onDone} />}
      <button type="button" onClick={onCancel}>Cancel</button>
    </div>
  );
}

function UrlTrigger({ config, onDone }) {
  const [authType, setAuthType] = useState("AWS_IAM");
  const [invokeMode, setInvokeMode] = useState("BUFFERED");
  return (
    <>
      <UrlForm authType={authType} setAuthType={setAuthType} invokeMode={invokeMode} setInvokeMode={setInvokeMode} />
      <Action primary action={() => createUrl(config.FunctionName, authType, invokeMode)} onDone={onDone}>Add</Action>
    </>
  );
}

function ScheduleTrigger({ config, onDone }) {
  const [name, setName] = useState(`${config.FunctionName}-schedule`);
  const [expression, setExpression] = useState("rate(5 minutes)");
  const add = async () => {
    const { events, lambda } = aws();
    const rule = await events.send(new PutRuleCommand({ Name: name, ScheduleExpression: expression, State: "ENABLED" }));
    await lambda.send(new AddPermissionCommand({ FunctionName: config.FunctionName, StatementId: `events-${name}`.slice(0, 100),
      Action: "lambda:InvokeFunction", Principal: "events.amazonaws.com", SourceArn: rule.RuleArn }));
    const targets = await events.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: config.FunctionName.slice(0, 64), Arn: config.FunctionArn }] }));
    if (targets.FailedEntryCount) throw new Error(targets.FailedEntries.map((f) => `${f.ErrorCode}: ${f.ErrorMessage}`).join("; "));
  };
  return (
    <>
      <Field label="Rule name"><input value={name} onInput={(e) => setName(e.currentTarget.value)} /></Field>
      <Field label="Schedule expression" hint="rate(5 minutes) or cron(0 12 * * ? *), in UTC"><input value={expression} onInput={(e) => setExpression(e.currentTarget.value)} /></Field>
      <Action primary action={add} onDone={onDone}>Add</Action>
    </>
  );
}

function SqsTrigger({ config, onDone }) {
  const queues = useLoad(async () => {
    const { sqs } = aws();
    const urls = (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [];
    return Promise.all(urls.map(async (QueueUrl) => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes.QueueArn));
  }, []);
  const [arn, setArn] = useState("");
  const [batch, setBatch] = useState("10");
  const add = () => aws().lambda.send(new CreateEventSourceMappingCommand({ FunctionName: config.FunctionName, EventSourceArn: arn, BatchSize: Number(batch) }));
  return (
    <Loaded state={queues} what="the queues">{(list) => (
      <>
        <Field label="SQS queue">
          <select value={arn} onChange={(e) => setArn(e.currentTarget.value)}>
            <option value="">Choose a queue</option>
            {list.map((q) => <option value={q}>{q}</option>)}
          </select>
        </Field>
        <Field label="Batch size" hint="1 to 10,000"><input type="number" value={batch} onInput={(e) => setBatch(e.currentTarget.value)} /></Field>
        <Action primary action={add} onDone={onDone} disabled={!arn}>Add</Action>
      </>
    )}</Loaded>
  );
}

function HttpApiTrigger({ config, onDone }) {
  const [name, setName] = useState(`${config.FunctionName}-API`);
  const add = async () => {
    const { apigateway, lambda, session } = aws();
    const api = await apigateway.send(new CreateApiCommand({ Name: name, ProtocolType: "HTTP", Target: config.FunctionArn }));
    const account = config.FunctionArn.split(":")[4];
    await lambda.send(new AddPermissionCommand({ FunctionName: config.FunctionName, StatementId: `apigateway-${api.ApiId}`,
      Action: "lambda:InvokeFunction", Principal: "apigateway.amazonaws.com",
      SourceArn: `arn:aws:execute-api:${session.region}:${account}:${api.ApiId}/*/*` }));
  };
  return (
    <>
      <p class="muted">Creates an HTTP API whose default route sends every request to the function (payload format 2.0).</p>
      <Field label="API name"><input value={name} onInput={(e) => setName(e.currentTarget.value)} /></Field>
      <Action primary action={add} onDone={onDone}>Add</Action>
    </>
  );
}

const S3_EVENTS = ["s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
  "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated"];

/**
 * An S3 bucket's notification to the function: the permission S3 needs (s3.amazonaws.com, the bucket's ARN and the
 * account), then the bucket's notification configuration with this function's entry added to those it has.
 */
function S3Trigger({ config, onDone }) {
  const buckets = useLoad(async () => (await aws().s3.send(new ListBucketsCommand({}))).Buckets ?? [], []);
  const [form, setForm] = useState({ bucket: "", event: "s3:ObjectCreated:*", prefix: "", suffix: "" });
  const set = (n) => (e) => setForm({ ...form, [n]: e.currentTarget.value });
  const add = async () => {
    const { s3, lambda } = aws();
    const account = config.FunctionArn.split(":")[4];
    const current = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: form.bucket }));
    try {
      await lambda.send(new AddPermissionCommand({ FunctionName: config.FunctionName, StatementId: `s3-${form.bucket}`.slice(0, 100),
        Action: "lambda:InvokeFunction", Principal: "s3.amazonaws.com", SourceArn: `arn:aws:s3:::${form.bucket}`, SourceAccount: account }));
    } catch (e) {
      if (e.name !== "ResourceConflictException") throw e; // the bucket may already invoke the function
    }
    const rules = [["prefix", form.prefix], ["suffix", form.suffix]].filter(([, v]) => v).map(([Name, Value]) => ({ Name, Value }));
    const entry = { Id: `${config.FunctionName}-${Date.now()}`, LambdaFunctionArn: config.FunctionArn, Events: [form.event],
      ...(rules.length ? { Filter: { Key: { FilterRules: rules } } } : {}) };
    const { $metadata, ...kept } = current;
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: form.bucket, NotificationConfiguration: {
      ...kept, LambdaFunctionConfigurations: [...(current.LambdaFunctionConfigurations ?? []), entry] } }));
  };
  return (
    <Loaded state={buckets} what="the buckets">{(list) => (
      <>
        <Field label="Bucket">
          <select value={form.bucket} onChange={set("bucket")}>
            <option value="">Choose a bucket</option>
            {list.map((b) => <option value={b.Name}>{b.Name}</option>)}
          </select>
        </Field>
        <Field label="Event types">
          <select value={form.event} onChange={set("event")}>{S3_EVENTS.map((e) => <option value={e}>{e}</option>)}</select>
        </Field>
        <Field label="Prefix" hint="Optional, e.g. uploads/"><input value={form.prefix} onInput={set("prefix")} /></Field>
        <Field label="Suffix" hint="Optional, e.g. .jpg"><input value={form.suffix} onInput={set("suffix")} /></Field>
        <Action primary action={add} onDone={onDone} disabled={!form.bucket}>Add</Action>
      </>
    )}</Loaded>
  );
}
