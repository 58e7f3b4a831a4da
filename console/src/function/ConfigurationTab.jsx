// The Configuration tab: general configuration, environment variables, layers, concurrency (reserved and
// provisioned), the function URL, asynchronous invocation (retries, event age, destinations), and the resource
// policy. Each section saves with its own API call and says so, or shows AWS's error.
import { useState } from "preact/hooks";
import {
  UpdateFunctionConfigurationCommand, GetFunctionConcurrencyCommand, PutFunctionConcurrencyCommand,
  DeleteFunctionConcurrencyCommand, ListProvisionedConcurrencyConfigsCommand, PutProvisionedConcurrencyConfigCommand,
  DeleteProvisionedConcurrencyConfigCommand, GetFunctionEventInvokeConfigCommand, PutFunctionEventInvokeConfigCommand,
  GetPolicyCommand,
} from "@aws-sdk/client-lambda";
import { aws } from "../aws.js";
import { Action, Field, Loaded, useLoad } from "../ui.jsx";
import { FunctionUrl } from "./FunctionUrl.jsx";

const updated = (name) => `Successfully updated the function ${name}.`;

async function updateConfiguration(config, changes) {
  return aws().lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: config.FunctionName, ...changes }));
}

const SECTIONS = [["general", "General configuration"], ["environment", "Environment variables"], ["layers", "Layers"],
  ["concurrency", "Concurrency"], ["url", "Function URL"], ["async", "Asynchronous invocation"], ["policy", "Permissions"]];

export function ConfigurationTab({ fn, onChanged }) {
  const go = (id) => document.querySelector(`section.${id}`)?.scrollIntoView({ behavior: "smooth", block: "start" });
  return (
    <>
      <nav class="row sections" aria-label="Configuration sections">
        {SECTIONS.map(([id, label]) => <button type="button" onClick={() => go(id)}>{label}</button>)}
      </nav>
      <General config={fn.Configuration} onChanged={onChanged} />
      <Environment config={fn.Configuration} onChanged={onChanged} />
      <Layers config={fn.Configuration} onChanged={onChanged} />
      <Concurrency config={fn.Configuration} />
      <section class="panel url"><h2>Function URL</h2><FunctionUrl config={fn.Configuration} /></section>
      <AsyncInvocation config={fn.Configuration} />
      <ResourcePolicy config={fn.Configuration} />
    </>
  );
}

function General({ config, onChanged }) {
  const [form, setForm] = useState({ Description: config.Description ?? "", MemorySize: config.MemorySize,
    Timeout: config.Timeout, EphemeralStorage: config.EphemeralStorage?.Size ?? 512, Handler: config.Handler ?? "" });
  const [done, setDone] = useState(null);
  const set = (name) => (e) => setForm({ ...form, [name]: e.currentTarget.value });
  const save = () => updateConfiguration(config, { Description: form.Description, MemorySize: Number(form.MemorySize),
    Timeout: Number(form.Timeout), EphemeralStorage: { Size: Number(form.EphemeralStorage) }, Handler: form.Handler });
  return (
    <section class="panel general">
      <h2>General configuration</h2>
      <Field label="Description"><input value={form.Description} onInput={set("Description")} /></Field>
      <Field label="Memory (MB)" hint="128 MB to 10,240 MB"><input type="number" value={form.MemorySize} onInput={set("MemorySize")} /></Field>
      <Field label="Ephemeral storage (MB)" hint="512 MB to 10,240 MB"><input type="number" value={form.EphemeralStorage} onInput={set("EphemeralStorage")} /></Field>
      <Field label="Timeout (seconds)" hint="1 to 900 seconds"><input type="number" value={form.Timeout} onInput={set("Timeout")} /></Field>
      <Field label="Handler"><input value={form.Handler} onInput={set("Handler")} /></Field>
      {done && <div class="success" role="status">{done}</div>}
      <Action primary action={save} onDone={() => { setDone(updated(config.FunctionName)); onChanged(); }}>Save</Action>
    </section>
  );
}

function Environment({ config, onChanged }) {
  const [rows, setRows] = useState(() => Object.entries(config.Environment?.Variables ?? {}).map(([key, value]) => ({ key, value })));
  const [done, setDone] = useState(null);
  const change = (i, field) => (e) => setRows(rows.map((r, j) => (j === i ? { ...r, [field]: e.currentTarget.value } : r)));
  const save = () => updateConfiguration(config, { Environment: { Variables: Object.fromEntries(rows.filter((r) => r.key).map((r) => [r.key, r.value])) } });
  return (
    <section class="panel environment">
      <h2>Environment variables</h2>
      <table class="kv">
        <thead><tr><th>Key</th><th>Value</th><th /></tr></thead>
        <tbody>
          {rows.map((r, i) => (
            <tr>
              <td><input aria-label={`Key ${i + 1}`} value={r.key} onInput={change(i, "key")} /></td>
              <td><input aria-label={`Value ${i + 1}`} value={r.value} onInput={change(i, "value")} /></td>
              <td><button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))}>Remove</button></td>
            </tr>
          ))}
          {rows.length === 0 && <tr><td colspan="3" class="muted">No environment variables.</td></tr>}
        </tbody>
      </table>
      <div class="row" style="margin-top:.5rem">
        <button type="button" onClick={() => setRows([...rows, { key: "", value: "" }])}>Add environment variable</button>
        <Action primary action={save} onDone={() => { setDone(updated(config.FunctionName)); onChanged(); }}>Save</Action>
      </div>
      {done && <div class="success" role="status">{done}</div>}
    </section>
  );
}

function Layers({ config, onChanged }) {
  const [layers, setLayers] = useState((config.Layers ?? []).map((l) => l.Arn));
  const [arn, setArn] = useState("");
  const [done, setDone] = useState(null);
  const save = () => updateConfiguration(config, { Layers: layers });
  return (
    <section class="panel layers">
      <h2>Layers</h2>
      <ol>{layers.map((l, i) => <li class="mono">{l} <button type="button" onClick={() => setLayers(layers.filter((_, j) => j !== i))}>Remove</button></li>)}</ol>
      {layers.length === 0 && <p class="muted">No layers: up to five layer versions, merged under /opt in order.</p>}
      <div class="row">
        <input aria-label="Layer version ARN" placeholder="arn:aws:lambda:us-east-1:000000000000:layer:name:1" value={arn} style="width:32rem" onInput={(e) => setArn(e.currentTarget.value)} />
        <button type="button" onClick={() => { if (arn.trim()) { setLayers([...layers, arn.trim()]); setArn(""); } }}>Add a layer</button>
        <Action primary action={save} onDone={() => { setDone(updated(config.FunctionName)); onChanged(); }}>Save</Action>
      </div>
      {done && <div class="success" role="status">{done}</div>}
    </section>
  );
}

function Concurrency({ config }) {
  const name = config.FunctionName;
  const reserved = useLoad(() => aws().lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name })), [name]);
  const provisioned = useLoad(() => aws().lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: name })), [name]);
  const [value, setValue] = useState("");
  const [qualifier, setQualifier] = useState("");
  const [count, setCount] = useState("1");
  return (
    <section class="panel concurrency">
      <h2>Concurrency</h2>
      <Loaded state={reserved} what="reserved concurrency">{(r) => (
        <p>Reserved concurrency: {r.ReservedConcurrentExecutions ?? "none (uses the account's unreserved concurrency)"}</p>
      )}</Loaded>
      <div class="row">
        <input type="number" aria-label="Reserved concurrency" placeholder="e.g. 10" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        <Action action={() => aws().lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: Number(value) }))} onDone={reserved.reload}>Reserve concurrency</Action>
        <Action action={() => aws().lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }))} onDone={reserved.reload}>Remove reserved concurrency</Action>
      </div>
      <div class="row"><h3>Provisioned concurrency</h3><span class="spacer" />
        <button type="button" class={provisioned.loading ? "busy" : ""} onClick={provisioned.reload}>Refresh</button></div>
      <Loaded state={provisioned} what="provisioned concurrency">{(p) => (
        <table>
          <thead><tr><th>Qualifier</th><th>Requested</th><th>Available</th><th>Status</th><th /></tr></thead>
          <tbody>
            {(p.ProvisionedConcurrencyConfigs ?? []).map((c) => {
              const q = c.FunctionArn.split(":").pop();
              return (
                <tr><td>{q}</td><td>{c.RequestedProvisionedConcurrentExecutions}</td><td>{c.AvailableProvisionedConcurrentExecutions}</td>
                  <td>{c.Status}{c.StatusReason ? `: ${c.StatusReason}` : ""}</td>
                  <td><Action action={() => aws().lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: q }))} onDone={provisioned.reload}>Remove</Action></td></tr>
              );
            })}
            {(p.ProvisionedConcurrencyConfigs ?? []).length === 0 && <tr><td colspan="5" class="muted">None: provisioned concurrency is set on a version or an alias.</td></tr>}
          </tbody>
        </table>
      )}</Loaded>
      <div class="row" style="margin-top:.5rem">
        <input aria-label="Version or alias" placeholder="Version or alias" value={qualifier} onInput={(e) => setQualifier(e.currentTarget.value)} />
        <input type="number" aria-label="Provisioned concurrency" value={count} onInput={(e) => setCount(e.currentTarget.value)} />
        <Action action={() => aws().lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: qualifier.trim(), ProvisionedConcurrentExecutions: Number(count) }))} onDone={provisioned.reload}>Add provisioned concurrency</Action>
      </div>
    </section>
  );
}

function AsyncInvocation({ config }) {
  const name = config.FunctionName;
  const state = useLoad(async () => {
    try {
      return await aws().lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name }));
    } catch (e) {
      if (e.name === "ResourceNotFoundException") return {}; // none yet: AWS's defaults apply
      throw e;
    }
  }, [name]);
  return (
    <section class="panel async">
      <h2>Asynchronous invocation</h2>
      <Loaded state={state} what="the asynchronous invocation settings">{(c) => <AsyncForm config={config} current={c} onSaved={state.reload} />}</Loaded>
    </section>
  );
}

function AsyncForm({ config, current, onSaved }) {
  const [form, setForm] = useState({
    age: String(current.MaximumEventAgeInSeconds ?? 21600), retries: String(current.MaximumRetryAttempts ?? 2),
    onSuccess: current.DestinationConfig?.OnSuccess?.Destination ?? "", onFailure: current.DestinationConfig?.OnFailure?.Destination ?? "",
  });
  const [done, setDone] = useState(null);
  const set = (n) => (e) => setForm({ ...form, [n]: e.currentTarget.value });
  const save = () => aws().lambda.send(new PutFunctionEventInvokeConfigCommand({
    FunctionName: config.FunctionName, MaximumEventAgeInSeconds: Number(form.age), MaximumRetryAttempts: Number(form.retries),
    DestinationConfig: { OnSuccess: form.onSuccess ? { Destination: form.onSuccess } : {}, OnFailure: form.onFailure ? { Destination: form.onFailure } : {} },
  }));
  return (
    <>
      <Field label="Maximum age of event (seconds)" hint="60 to 21,600"><input type="number" value={form.age} onInput={set("age")} /></Field>
      <Field label="Retry attempts" hint="0 to 2"><input type="number" value={form.retries} onInput={set("retries")} /></Field>
      <Field label="On-success destination ARN" hint="A Lambda function's or a standard SQS queue's ARN (docs/async.md)"><input value={form.onSuccess} onInput={set("onSuccess")} /></Field>
      <Field label="On-failure destination ARN" hint="A Lambda function's or a standard SQS queue's ARN"><input value={form.onFailure} onInput={set("onFailure")} /></Field>
      {done && <div class="success" role="status">{done}</div>}
      <Action primary action={save} onDone={() => { setDone("Asynchronous invocation settings saved."); onSaved(); }}>Save</Action>
    </>
  );
}

function ResourcePolicy({ config }) {
  const state = useLoad(async () => {
    try {
      return JSON.parse((await aws().lambda.send(new GetPolicyCommand({ FunctionName: config.FunctionName }))).Policy);
    } catch (e) {
      if (e.name === "ResourceNotFoundException") return null;
      throw e;
    }
  }, [config.FunctionName]);
  return (
    <section class="panel policy">
      <h2>Resource-based policy</h2>
      <Loaded state={state} what="the resource-based policy">{(policy) => policy
        ? <pre>{JSON.stringify(policy, null, 2)}</pre>
        : <p class="muted">No resource-based policy: only callers with your account's credentials can invoke the function.</p>}</Loaded>
    </section>
  );
}
