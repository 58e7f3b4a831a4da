// Versions and aliases: publish a version of $LATEST, create aliases, and split an alias's traffic between two
// versions with a weight (RoutingConfig.AdditionalVersionWeights).
import { useState } from "preact/hooks";
import {
  ListVersionsByFunctionCommand, PublishVersionCommand, ListAliasesCommand, CreateAliasCommand, UpdateAliasCommand,
  DeleteAliasCommand,
} from "@aws-sdk/client-lambda";
import { aws } from "../aws.js";
import { Action, Field, Loaded, formatDate, useLoad } from "../ui.jsx";

async function allVersions(name) {
  const versions = [];
  let Marker;
  do {
    const page = await aws().lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker }));
    versions.push(...(page.Versions ?? []));
    Marker = page.NextMarker;
  } while (Marker);
  return versions;
}

async function allAliases(name) {
  const aliases = [];
  let Marker;
  do {
    const page = await aws().lambda.send(new ListAliasesCommand({ FunctionName: name, Marker }));
    aliases.push(...(page.Aliases ?? []));
    Marker = page.NextMarker;
  } while (Marker);
  return aliases;
}

function routing(version, weightVersion, weightPercent) {
  if (!weightVersion) return { FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: {} } };
  return { FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: { [weightVersion]: Number(weightPercent) / 100 } } };
}

export function VersionsTab({ fn }) {
  const name = fn.Configuration.FunctionName;
  const versions = useLoad(() => allVersions(name), [name]);
  const aliases = useLoad(() => allAliases(name), [name]);
  const [description, setDescription] = useState("");
  const [published, setPublished] = useState(null);
  return (
    <>
      <section class="panel versions">
        <h2>Versions</h2>
        <div class="row">
          <input aria-label="Version description" placeholder="Version description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
          <Action primary action={() => aws().lambda.send(new PublishVersionCommand({ FunctionName: name, Description: description }))}
            onDone={(v) => { setPublished(`Successfully created version ${v.Version} for function ${name}.`); setDescription(""); versions.reload(); }}>Publish new version</Action>
        </div>
        {published && <div class="success" role="status">{published}</div>}
        <Loaded state={versions} what="the versions">{(list) => (
          <table>
            <thead><tr><th>Version</th><th>Description</th><th>Code SHA-256</th><th>Last modified</th></tr></thead>
            <tbody>{list.map((v) => <tr><td>{v.Version}</td><td>{v.Description}</td><td class="mono">{v.CodeSha256}</td><td>{formatDate(v.LastModified)}</td></tr>)}</tbody>
          </table>
        )}</Loaded>
      </section>
      <section class="panel aliases">
        <h2>Aliases</h2>
        <Loaded state={aliases} what="the aliases">{(list) => (
          <table>
            <thead><tr><th>Alias</th><th>Version</th><th>Weighted version</th><th>Description</th><th /></tr></thead>
            <tbody>
              {list.map((a) => <AliasRow alias={a} name={name} versions={versions.value ?? []} onChanged={aliases.reload} />)}
              {list.length === 0 && <tr><td colspan="5" class="muted">No aliases.</td></tr>}
            </tbody>
          </table>
        )}</Loaded>
        <CreateAlias name={name} versions={versions.value ?? []} onCreated={aliases.reload} />
      </section>
    </>
  );
}

function VersionSelect({ versions, value, onChange, label, allowNone }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
      {allowNone && <option value="">None</option>}
      {versions.map((v) => <option value={v.Version}>{v.Version}</option>)}
    </select>
  );
}

function AliasRow({ alias, name, versions, onChanged }) {
  const [weighted] = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {});
  const [version, setVersion] = useState(alias.FunctionVersion);
  const [weightVersion, setWeightVersion] = useState(weighted?.[0] ?? "");
  const [weight, setWeight] = useState(weighted ? String(Math.round(weighted[1] * 100)) : "10");
  const save = () => aws().lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: alias.Name, ...routing(version, weightVersion, weight) }));
  return (
    <tr>
      <td>{alias.Name}</td>
      <td><VersionSelect versions={versions} value={version} onChange={setVersion} label={`Version of ${alias.Name}`} /></td>
      <td class="row">
        <VersionSelect versions={versions} value={weightVersion} onChange={setWeightVersion} label={`Weighted version of ${alias.Name}`} allowNone />
        {weightVersion && <><input type="number" min="0" max="100" aria-label={`Weight of ${alias.Name} (%)`} value={weight} style="width:5rem" onInput={(e) => setWeight(e.currentTarget.value)} />%</>}
      </td>
      <td>{alias.Description}</td>
      <td class="row">
        <Action action={save} onDone={onChanged}>Save</Action>
        <Action action={() => aws().lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: alias.Name }))} onDone={onChanged}>Delete</Action>
      </td>
    </tr>
  );
}

function CreateAlias({ name, versions, onCreated }) {
  const [form, setForm] = useState({ alias: "", version: "", weightVersion: "", weight: "10", description: "" });
  const set = (n) => (v) => setForm({ ...form, [n]: typeof v === "string" ? v : v.currentTarget.value });
  const version = form.version || versions[versions.length - 1]?.Version || "$LATEST";
  const create = () => aws().lambda.send(new CreateAliasCommand({ FunctionName: name, Name: form.alias.trim(),
    Description: form.description, ...routing(version, form.weightVersion, form.weight) }));
  return (
    <div class="create-alias">
      <h3>Create alias</h3>
      <div class="row">
        <Field label="Alias name"><input value={form.alias} onInput={set("alias")} /></Field>
        <Field label="Version"><VersionSelect versions={versions} value={version} onChange={set("version")} label="Alias version" /></Field>
        <Field label="Weighted alias: additional version"><VersionSelect versions={versions} value={form.weightVersion} onChange={set("weightVersion")} label="Additional version" allowNone /></Field>
        {form.weightVersion && <Field label="Weight (%)"><input type="number" min="0" max="100" value={form.weight} onInput={set("weight")} /></Field>}
        <Field label="Description"><input value={form.description} onInput={set("description")} /></Field>
      </div>
      <Action primary action={create} onDone={() => { setForm({ ...form, alias: "", description: "" }); onCreated(); }}>Create alias</Action>
    </div>
  );
}
