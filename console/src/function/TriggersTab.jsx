// The Triggers tab: what invokes the function (its URL, event source mappings, EventBridge rules, HTTP APIs, S3
// buckets, and the services its resource policy lets in), and "Add trigger" (AddTrigger.jsx).
import { useState } from "preact/hooks";
import { ListEventSourceMappingsCommand, DeleteEventSourceMappingCommand, GetPolicyCommand } from "@aws-sdk/client-lambda";
import { ListRuleNamesByTargetCommand, DescribeRuleCommand } from "@aws-sdk/client-eventbridge";
import { GetApiCommand } from "@aws-sdk/client-apigatewayv2";
import { GetBucketNotificationConfigurationCommand } from "@aws-sdk/client-s3";
import { aws } from "../aws.js";
import { Action, Loaded, useLoad } from "../ui.jsx";
import { FunctionUrl } from "./FunctionUrl.jsx";
import { AddTrigger } from "./AddTrigger.jsx";

async function loadTriggers(config) {
  const { lambda, events } = aws();
  const [mappings, rules, policy] = await Promise.all([
    lambda.send(new ListEventSourceMappingsCommand({ FunctionName: config.FunctionName })),
    events.send(new ListRuleNamesByTargetCommand({ TargetArn: config.FunctionArn })),
    lambda.send(new GetPolicyCommand({ FunctionName: config.FunctionName })).then((p) => JSON.parse(p.Policy), (e) => {
      if (e.name === "ResourceNotFoundException") return { Statement: [] };
      throw e;
    }),
  ]);
  const ruleDetails = await Promise.all((rules.RuleNames ?? []).map((Name) => events.send(new DescribeRuleCommand({ Name }))));
  const apis = await httpApis(policy);
  const buckets = await bucketNotifications(policy, config.FunctionArn);
  // API Gateway and S3 triggers are known by the statements that let them invoke the function, as on AWS.
  const services = (policy.Statement ?? [])
    .filter((s) => ["apigateway.amazonaws.com", "s3.amazonaws.com"].includes(s.Principal?.Service))
    .map((s) => ({ service: s.Principal.Service, source: s.Condition?.ArnLike?.["AWS:SourceArn"] ?? s.Condition?.ArnEquals?.["AWS:SourceArn"] ?? "any", sid: s.Sid }));
  return { mappings: mappings.EventSourceMappings ?? [], rules: ruleDetails, services, apis, buckets };
}

/** The notifications of the buckets the policy lets invoke the function (arn:aws:s3:::<bucket>) that name it. */
async function bucketNotifications(policy, functionArn) {
  const names = new Set((policy.Statement ?? []).filter((s) => s.Principal?.Service === "s3.amazonaws.com")
    .map((s) => (s.Condition?.ArnLike?.["AWS:SourceArn"] ?? "").match(/^arn:aws:s3:::([^/*]+)$/)?.[1]).filter(Boolean));
  const found = await Promise.all([...names].map(async (Bucket) => {
    try {
      const config = await aws().s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
      return (config.LambdaFunctionConfigurations ?? []).filter((c) => c.LambdaFunctionArn === functionArn).map((c) => ({ bucket: Bucket, ...c }));
    } catch (e) {
      if (e.name === "NoSuchBucket") return [];
      throw e;
    }
  }));
  return found.flat();
}

function filterText(c) {
  return (c.Filter?.Key?.FilterRules ?? []).map((r) => `${r.Name.toLowerCase()}: ${r.Value}`).join(", ");
}

/** The HTTP APIs the policy lets invoke the function (execute-api source ARNs), with their endpoints. */
async function httpApis(policy) {
  const ids = new Set((policy.Statement ?? []).map((s) => s.Condition?.ArnLike?.["AWS:SourceArn"] ?? "")
    .map((arn) => arn.match(/^arn:aws:execute-api:[^:]+:\d+:([a-z0-9]+)\//)?.[1]).filter(Boolean));
  const found = await Promise.all([...ids].map((ApiId) => aws().apigateway.send(new GetApiCommand({ ApiId })).catch((e) => {
    if (e.name === "NotFoundException") return null; // deleted since: its statement stays until removed
    throw e;
  })));
  return found.filter(Boolean);
}

export function TriggersTab({ fn }) {
  const config = fn.Configuration;
  const state = useLoad(() => loadTriggers(config), [config.FunctionArn]);
  const [adding, setAdding] = useState(false);
  const [urlKey, setUrlKey] = useState(0);
  return (
    <>
      <section class="panel">
        <div class="row"><h2>Triggers</h2><span class="spacer" />
          <button type="button" onClick={() => { state.reload(); setUrlKey(urlKey + 1); }}>Refresh</button>
          <button type="button" class="primary" onClick={() => setAdding(true)}>Add trigger</button></div>
        {adding && <AddTrigger config={config} onDone={() => { setAdding(false); state.reload(); setUrlKey(urlKey + 1); }} onCancel={() => setAdding(false)} />}
        <h3>Function URL</h3>
        <FunctionUrl config={config} key={urlKey} listOnly />
        <Loaded state={state} what="the triggers">{(t) => (
          <>
            <h3>Event source mappings</h3>
            <table>
              <thead><tr><th>Source</th><th>State</th><th>Batch size</th><th>UUID</th><th /></tr></thead>
              <tbody>
                {t.mappings.map((m) => (
                  <tr><td class="mono">{m.EventSourceArn}</td><td>{m.State}</td><td>{m.BatchSize}</td><td class="mono">{m.UUID}</td>
                    <td><Action action={() => aws().lambda.send(new DeleteEventSourceMappingCommand({ UUID: m.UUID }))} onDone={state.reload}>Delete</Action></td></tr>
                ))}
                {t.mappings.length === 0 && <tr><td colspan="5" class="muted">None.</td></tr>}
              </tbody>
            </table>
            <h3>EventBridge rules</h3>
            <table>
              <thead><tr><th>Rule</th><th>Schedule or pattern</th><th>State</th></tr></thead>
              <tbody>
                {t.rules.map((r) => <tr><td>{r.Name}</td><td class="mono">{r.ScheduleExpression ?? r.EventPattern}</td><td>{r.State}</td></tr>)}
                {t.rules.length === 0 && <tr><td colspan="3" class="muted">None.</td></tr>}
              </tbody>
            </table>
            <h3>API Gateway HTTP APIs</h3>
            <table>
              <thead><tr><th>API</th><th>Endpoint</th><th>Protocol</th></tr></thead>
              <tbody>
                {t.apis.map((a) => <tr><td>{a.Name} ({a.ApiId})</td><td><a class="api-endpoint mono" href={a.ApiEndpoint} target="_blank" rel="noopener">{a.ApiEndpoint}</a></td><td>{a.ProtocolType}</td></tr>)}
                {t.apis.length === 0 && <tr><td colspan="3" class="muted">None.</td></tr>}
              </tbody>
            </table>
            <h3>S3 buckets</h3>
            <table>
              <thead><tr><th>Bucket</th><th>Events</th><th>Filter</th><th>Id</th></tr></thead>
              <tbody>
                {t.buckets.map((b) => <tr><td>{b.bucket}</td><td class="mono">{(b.Events ?? []).join(", ")}</td><td class="mono">{filterText(b)}</td><td>{b.Id}</td></tr>)}
                {t.buckets.length === 0 && <tr><td colspan="4" class="muted">None.</td></tr>}
              </tbody>
            </table>
            <h3>Services allowed by the resource-based policy</h3>
            <ul>
              {t.services.map((s) => <li><span class="mono">{s.service}</span> from <span class="mono">{s.source}</span> ({s.sid})</li>)}
              {t.services.length === 0 && <li class="muted">None.</li>}
            </ul>
          </>
        )}</Loaded>
      </section>
    </>
  );
}
