// "Create function" → Author from scratch: name, runtime, architecture, role; created with AWS's sample code and
// default handler for the runtime.
import { useState } from "preact/hooks";
import { CreateFunctionCommand } from "@aws-sdk/client-lambda";
import { aws } from "../aws.js";
import { RUNTIMES, sampleFor } from "../runtimes.js";
import { defaultMode, writeZip } from "../zip.js";
import { ErrorBox, Field } from "../ui.jsx";

export function CreateFunction() {
  const account = aws().session.account ?? "000000000000";
  const [form, setForm] = useState({ name: "", runtime: "python3.13", architecture: "x86_64",
    role: `arn:aws:iam::${account}:role/lambda-role` });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const set = (name) => (e) => setForm({ ...form, [name]: e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const sample = sampleFor(form.runtime);
      const files = Object.fromEntries(Object.entries(sample.files).map(([path, text]) => [path, { text, mode: defaultMode(path) }]));
      await aws().lambda.send(new CreateFunctionCommand({
        FunctionName: form.name.trim(), Runtime: form.runtime, Role: form.role.trim(), Handler: sample.handler,
        Architectures: [form.architecture], Code: { ZipFile: writeZip(files) },
      }));
      sessionStorage.setItem("kindling.created", form.name.trim()); // the page says "Congratulations" once
      location.hash = `#/functions/${encodeURIComponent(form.name.trim())}/code`;
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1>Create function</h1>
      <form class="panel" onSubmit={submit}>
        <h2>Author from scratch</h2>
        <p class="muted">Start with a simple Hello World example.</p>
        <Field label="Function name" hint="Letters, numbers, hyphens and underscores, up to 64 characters.">
          <input name="functionName" required value={form.name} onInput={set("name")} />
        </Field>
        <Field label="Runtime">
          <select name="runtime" value={form.runtime} onChange={set("runtime")}>
            {RUNTIMES.map((r) => <option value={r.id}>{r.label}</option>)}
          </select>
        </Field>
        <Field label="Architecture">
          <select name="architecture" value={form.architecture} onChange={set("architecture")}>
            <option value="x86_64">x86_64</option><option value="arm64">arm64</option>
          </select>
        </Field>
        <Field label="Execution role" hint="The role's ARN: the function's credentials come from it.">
          <input name="role" required value={form.role} onInput={set("role")} />
        </Field>
        <ErrorBox error={error} title="Could not create the function" />
        <div class="row">
          <a href="#/functions">Cancel</a>
          <button type="submit" class={`primary ${busy ? "busy" : ""}`} disabled={busy}>Create function</button>
        </div>
      </form>
    </>
  );
}
