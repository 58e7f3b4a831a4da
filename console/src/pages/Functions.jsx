// The functions list: name, runtime, memory, last modified, code size; a search box and pages of 20.
import { useState } from "preact/hooks";
import { ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { aws } from "../aws.js";
import { Loaded, formatBytes, formatDate, useLoad } from "../ui.jsx";

const PAGE = 20;

async function allFunctions() {
  const functions = [];
  let Marker;
  do {
    const page = await aws().lambda.send(new ListFunctionsCommand({ Marker, MaxItems: 50 }));
    functions.push(...(page.Functions ?? []));
    Marker = page.NextMarker;
  } while (Marker);
  return functions.sort((a, b) => a.FunctionName.localeCompare(b.FunctionName));
}

export function Functions() {
  const state = useLoad(allFunctions, []);
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(0);
  return (
    <>
      <div class="row">
        <h1>Functions</h1>
        <span class="spacer" />
        <button type="button" onClick={state.reload} aria-label="Refresh the list">Refresh</button>
        <a class="button primary" href="#/create">Create function</a>
      </div>
      <div class="panel">
        <input type="search" placeholder="Filter by function name" aria-label="Filter by function name" value={search}
          onInput={(e) => { setSearch(e.currentTarget.value); setPage(0); }} style="width:20rem" />
        <Loaded state={state} what="functions">{(functions) => {
          const matching = functions.filter((f) => f.FunctionName.toLowerCase().includes(search.toLowerCase()));
          const pages = Math.max(1, Math.ceil(matching.length / PAGE));
          const shown = matching.slice(page * PAGE, page * PAGE + PAGE);
          return (
            <>
              <table>
                <thead><tr><th>Function name</th><th>Runtime</th><th>Memory (MB)</th><th>Last modified</th><th>Code size</th></tr></thead>
                <tbody>
                  {shown.map((f) => (
                    <tr>
                      <td><a href={`#/functions/${encodeURIComponent(f.FunctionName)}`}>{f.FunctionName}</a></td>
                      <td>{f.Runtime ?? f.PackageType}</td><td>{f.MemorySize}</td>
                      <td>{formatDate(f.LastModified)}</td><td>{formatBytes(f.CodeSize)}</td>
                    </tr>
                  ))}
                  {shown.length === 0 && <tr><td colspan="5" class="muted">{functions.length ? "No function matches." : "No functions yet: create one."}</td></tr>}
                </tbody>
              </table>
              <div class="row pager">
                <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>Previous</button>
                <span>Page {page + 1} of {pages} ({matching.length} functions)</span>
                <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>Next</button>
              </div>
            </>
          );
        }}</Loaded>
      </div>
    </>
  );
}
