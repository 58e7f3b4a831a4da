// A function's URL: shown, created (with the resource policy statements AWS's console adds for a public URL),
// changed, or deleted.
import { useState } from "preact/hooks";
import {
  GetFunctionUrlConfigCommand, CreateFunctionUrlConfigCommand, UpdateFunctionUrlConfigCommand,
  DeleteFunctionUrlConfigCommand, AddPermissionCommand,
} from "@aws-sdk/client-lambda";
import { aws } from "../aws.js";
import { Action, Field, Loaded, useLoad } from "../ui.jsx";

async function getUrl(name) {
  try {
    return await aws().lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name }));
  } catch (e) {
    if (e.name === "ResourceNotFoundException") return null;
    throw e;
  }
}

/**
 * Creates the URL; for AuthType NONE also grants anyone lambda:InvokeFunctionUrl and (through the URL only)
 * lambda:InvokeFunction, the two statements AWS's console adds (and AWS requires since October 2025).
 */
export async function createUrl(name, authType, invokeMode) {
  const url = await aws().lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: authType, InvokeMode: invokeMode }));
  if (authType === "NONE") {
    await grantPublic(name);
  }
  return url;
}

async function grantPublic(name) {
  const grants = [
    { StatementId: "FunctionURLAllowPublicAccess", Action: "lambda:InvokeFunctionUrl", FunctionUrlAuthType: "NONE" },
    { StatementId: "FunctionURLAllowInvokeAction", Action: "lambda:InvokeFunction", InvokedViaFunctionUrl: true },
  ];
  for (const grant of grants) {
    try {
      await aws().lambda.send(new AddPermissionCommand({ FunctionName: name, Principal: "*", ...grant }));
    } catch (e) {
      if (e.name !== "ResourceConflictException") throw e; // already there
    }
  }
}

/** The URL's panel; `listOnly` (the Triggers tab, which adds it with "Add trigger") shows no form when there is none. */
export function FunctionUrl({ config, listOnly }) {
  const name = config.FunctionName;
  const state = useLoad(() => getUrl(name), [name]);
  const [authType, setAuthType] = useState("AWS_IAM");
  const [invokeMode, setInvokeMode] = useState("BUFFERED");
  return (
    <Loaded state={state} what="the function URL">{(url) => url ? (
      <>
        <dl class="summary">
          <dt>Function URL</dt><dd><a class="function-url mono" href={url.FunctionUrl} target="_blank" rel="noopener">{url.FunctionUrl}</a></dd>
          <dt>Auth type</dt><dd>{url.AuthType}</dd>
          <dt>Invoke mode</dt><dd>{url.InvokeMode}</dd>
          {url.Cors && <><dt>CORS</dt><dd class="mono">{JSON.stringify(url.Cors)}</dd></>}
        </dl>
        <div class="row">
          <Action action={async () => {
            const next = url.AuthType === "NONE" ? "AWS_IAM" : "NONE";
            await aws().lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name, AuthType: next }));
            if (next === "NONE") await grantPublic(name);
          }} onDone={state.reload}>{url.AuthType === "NONE" ? "Require IAM authentication" : "Make public (auth type NONE)"}</Action>
          <Action action={() => aws().lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: name }))} onDone={state.reload}>Delete function URL</Action>
        </div>
      </>
    ) : listOnly ? <p class="muted">None.</p> : (
      <>
        <p class="muted">No function URL. A URL invokes the function over HTTP, with the API Gateway 2.0 event.</p>
        <UrlForm authType={authType} setAuthType={setAuthType} invokeMode={invokeMode} setInvokeMode={setInvokeMode} />
        <Action primary action={() => createUrl(name, authType, invokeMode)} onDone={state.reload}>Create function URL</Action>
      </>
    )}</Loaded>
  );
}

export function UrlForm({ authType, setAuthType, invokeMode, setInvokeMode }) {
  return (
    <>
      <Field label="Auth type" hint="AWS_IAM: callers sign with SigV4. NONE: anyone who reaches the server can call it.">
        <select aria-label="Auth type" value={authType} onChange={(e) => setAuthType(e.currentTarget.value)}>
          <option value="AWS_IAM">AWS_IAM</option><option value="NONE">NONE</option>
        </select>
      </Field>
      <Field label="Invoke mode">
        <select aria-label="Invoke mode" value={invokeMode} onChange={(e) => setInvokeMode(e.currentTarget.value)}>
          <option value="BUFFERED">BUFFERED</option><option value="RESPONSE_STREAM">RESPONSE_STREAM</option>
        </select>
      </Field>
    </>
  );
}
