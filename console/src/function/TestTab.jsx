// The Test tab: saved test events (in this browser's storage), AWS's event templates, Invoke with the result, the
// log tail, and the REPORT line's figures as AWS's console shows them; a function error with its type, message
// and stack trace.
import { useState } from "preact/hooks";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { aws } from "../aws.js";
import { Action, Field } from "../ui.jsx";
import { Editor } from "./Editor.jsx";
import { TEMPLATES, templateText } from "./templates.js";

function storageKey(fn) {
  return `kindling.testEvents.${fn.Configuration.FunctionArn}`;
}
function savedEvents(fn) {
  return JSON.parse(localStorage.getItem(storageKey(fn)) ?? "{}");
}

/** The figures of the log's REPORT line (Duration, Billed Duration, Memory Size, Max Memory Used, Init Duration). */
export function reportFigures(log) {
  const line = log.split("\n").find((l) => l.startsWith("REPORT "));
  if (!line) return {};
  const figure = (name) => line.match(new RegExp(`${name}: ([\\d.]+ \\w+)`))?.[1];
  return { duration: figure("Duration"), billed: figure("Billed Duration"), memory: figure("Memory Size"),
    maxMemory: figure("Max Memory Used"), init: figure("Init Duration") };
}

export function TestTab({ fn }) {
  const config = fn.Configuration;
  const [saved, setSaved] = useState(() => savedEvents(fn));
  const names = Object.keys(saved).sort();
  const [name, setName] = useState(names[0] ?? "MyEventName");
  const [template, setTemplate] = useState("hello-world");
  const [text, setText] = useState(() => names.length ? saved[names[0]] : templateText("hello-world"));
  const [result, setResult] = useState(null);
  const [note, setNote] = useState(null);

  const store = (events) => {
    localStorage.setItem(storageKey(fn), JSON.stringify(events));
    setSaved(events);
  };
  const pickTemplate = (id) => { setTemplate(id); setText(templateText(id)); };
  const pickSaved = (n) => { setName(n); setText(saved[n]); };
  const save = async () => {
    JSON.parse(text); // an event must be JSON: the parser's message says where it is not
    if (!/^[A-Za-z0-9_.-]{1,25}$/.test(name)) throw new Error("Event name: 1 to 25 letters, numbers, periods, hyphens and underscores.");
    store({ ...saved, [name]: text });
    setNote(`The test event ${name} was successfully saved.`);
  };
  const remove = async () => {
    const { [name]: _, ...rest } = saved;
    store(rest);
    setNote(`The test event ${name} was deleted.`);
  };
  const test = async () => {
    JSON.parse(text);
    const started = performance.now();
    const out = await aws().lambda.send(new InvokeCommand({ FunctionName: config.FunctionName, LogType: "Tail",
      Payload: new TextEncoder().encode(text) }));
    const payload = new TextDecoder().decode(out.Payload ?? new Uint8Array());
    const log = out.LogResult ? new TextDecoder().decode(Uint8Array.from(atob(out.LogResult), (c) => c.charCodeAt(0))) : "";
    let parsed = null;
    try { parsed = JSON.parse(payload); } catch { /* not JSON: shown as it is */ }
    setResult({ out, payload, parsed, log, requestId: out.$metadata.requestId, elapsed: performance.now() - started });
  };

  return (
    <>
      <div class="panel">
        <h2>Test event</h2>
        <div class="row">
          <Field label="Event name"><input name="eventName" value={name} onInput={(e) => setName(e.currentTarget.value)} /></Field>
          {names.length > 0 && (
            <Field label="Saved events">
              <select name="savedEvent" value={saved[name] !== undefined ? name : ""} onChange={(e) => e.currentTarget.value && pickSaved(e.currentTarget.value)}>
                <option value="">Choose a saved event</option>
                {names.map((n) => <option value={n}>{n}</option>)}
              </select>
            </Field>
          )}
          <Field label="Template">
            <select name="template" value={template} onChange={(e) => pickTemplate(e.currentTarget.value)}>
              {TEMPLATES.map((t) => <option value={t.id}>{t.label}</option>)}
            </select>
          </Field>
        </div>
        <p class="muted">Saved events stay in this browser (AWS keeps shareable ones in EventBridge's schema registry, which Kindling does not serve).</p>
        <Editor path="event.json" text={text} onChange={(_, t) => setText(t)} label="Event JSON" className="event-editor" />
        {note && <div class="success" role="status">{note}</div>}
        <div class="row" style="margin-top:.5rem">
          <Action action={save}>Save</Action>
          {saved[name] !== undefined && <Action action={remove}>Delete</Action>}
          <span class="spacer" />
          <Action primary action={test}>Test</Action>
        </div>
      </div>
      {result && <ExecutionResult result={result} fn={fn} name={name} />}
    </>
  );
}

function ExecutionResult({ result, fn, name }) {
  const failed = Boolean(result.out.FunctionError);
  const figures = reportFigures(result.log);
  const error = failed && result.parsed && typeof result.parsed === "object" ? result.parsed : null;
  return (
    <div class="panel execution-result" aria-live="polite">
      <h2 class={failed ? "" : ""}>Executing function: {failed ? "failed" : "succeeded"}</h2>
      <div class={failed ? "error" : "success"} role="status">
        Status: {failed ? "Failed" : "Succeeded"} · Test Event Name: {name}
      </div>
      {error && (
        <dl class="summary function-error">
          <dt>Error type</dt><dd class="mono">{error.errorType}</dd>
          <dt>Error message</dt><dd class="mono">{error.errorMessage}</dd>
          {Array.isArray(error.stackTrace) && <><dt>Stack trace</dt><dd><pre>{error.stackTrace.map((f) => typeof f === "string" ? f : JSON.stringify(f)).join("\n")}</pre></dd></>}
        </dl>
      )}
      <h3>Response</h3>
      <pre class="response">{result.parsed !== null ? JSON.stringify(result.parsed, null, 2) : result.payload}</pre>
      <h3>Function Logs</h3>
      <pre class="logs">{result.log}</pre>
      <h3>Summary</h3>
      <dl class="summary">
        <dt>Code SHA-256</dt><dd class="mono">{fn.Configuration.CodeSha256}</dd>
        <dt>Request ID</dt><dd class="mono request-id">{result.requestId}</dd>
        {figures.init && <><dt>Init duration</dt><dd>{figures.init}</dd></>}
        <dt>Duration</dt><dd>{figures.duration}</dd>
        <dt>Billed duration</dt><dd>{figures.billed}</dd>
        <dt>Resources configured</dt><dd>{figures.memory}</dd>
        <dt>Max memory used</dt><dd>{figures.maxMemory}</dd>
        {result.out.ExecutedVersion && <><dt>Executed version</dt><dd>{result.out.ExecutedVersion}</dd></>}
      </dl>
    </div>
  );
}
