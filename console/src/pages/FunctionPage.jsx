// A function's page: its overview and the tabs Code, Test, Monitor, Configuration, Triggers, Versions and aliases.
import { useState } from "preact/hooks";
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { aws } from "../aws.js";
import { Loaded, Tabs, formatDate, useLoad } from "../ui.jsx";
import { CodeTab } from "../function/CodeTab.jsx";
import { TestTab } from "../function/TestTab.jsx";
import { ConfigurationTab } from "../function/ConfigurationTab.jsx";
import { TriggersTab } from "../function/TriggersTab.jsx";
import { VersionsTab } from "../function/VersionsTab.jsx";
import { MonitorTab } from "../function/MonitorTab.jsx";

const TABS = [
  { id: "code", label: "Code" }, { id: "test", label: "Test" }, { id: "monitor", label: "Monitor" },
  { id: "configuration", label: "Configuration" }, { id: "triggers", label: "Triggers" },
  { id: "versions", label: "Versions and aliases" },
];

export function FunctionPage({ name, tab }) {
  const state = useLoad(() => aws().lambda.send(new GetFunctionCommand({ FunctionName: name })), [name]);
  const select = (id) => { location.hash = `#/functions/${encodeURIComponent(name)}/${id}`; };
  const [created] = useState(() => { // said once, on the page the creation led to
    const just = sessionStorage.getItem("kindling.created") === name;
    if (just) sessionStorage.removeItem("kindling.created");
    return just;
  });
  return (
    <>
      <p><a href="#/functions">Functions</a> › {name}</p>
      <h1>{name}</h1>
      {created && (
        <div class="success" role="status">
          Congratulations! Your Lambda function "{name}" has been successfully created. You can now change its code and
          configuration. To invoke your function with a test event, choose "Test".
        </div>
      )}
      <Loaded state={state} what="the function">{(fn) => (
        <>
          <div class="panel">
            <h2>Function overview</h2>
            <dl class="summary">
              <dt>Function ARN</dt><dd class="mono">{fn.Configuration.FunctionArn}</dd>
              <dt>Runtime</dt><dd>{fn.Configuration.Runtime}</dd>
              <dt>Handler</dt><dd class="mono">{fn.Configuration.Handler}</dd>
              <dt>Last modified</dt><dd>{formatDate(fn.Configuration.LastModified)}</dd>
              {fn.Configuration.Description && <><dt>Description</dt><dd>{fn.Configuration.Description}</dd></>}
            </dl>
          </div>
          <Tabs tabs={TABS} selected={tab} onSelect={select} />
          <section role="tabpanel" aria-labelledby={`tab-${tab}`}>
            {tab === "code" && <CodeTab fn={fn} onChanged={state.reload} />}
            {tab === "test" && <TestTab fn={fn} />}
            {tab === "monitor" && <MonitorTab fn={fn} />}
            {tab === "configuration" && <ConfigurationTab fn={fn} onChanged={state.reload} />}
            {tab === "triggers" && <TriggersTab fn={fn} />}
            {tab === "versions" && <VersionsTab fn={fn} />}
          </section>
        </>
      )}</Loaded>
    </>
  );
}
