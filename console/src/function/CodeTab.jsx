// The Code tab: the package's files in a tree, each in the code editor, Deploy (UpdateFunctionCode with the files
// zipped again), new and deleted files, and a zip upload for packages too large to edit here.
import { useEffect, useState } from "preact/hooks";
import { UpdateFunctionCodeCommand } from "@aws-sdk/client-lambda";
import { aws } from "../aws.js";
import { MAX_EDITABLE_BYTES, defaultMode, readZip, writeZip } from "../zip.js";
import { Action, ErrorBox, formatBytes } from "../ui.jsx";
import { Editor } from "./Editor.jsx";

async function download(location) {
  const url = new URL(location);
  const response = await fetch(url.pathname + url.search); // on this origin, whatever host the API answered for
  if (!response.ok) throw new Error(`Could not download the package: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The package's paths as a tree: each folder once, above its files and subfolders, indented by depth. */
export function treeRows(paths) {
  const rows = [];
  const shown = new Set();
  for (const path of [...paths].sort()) {
    const parts = path.split("/");
    for (let depth = 0; depth < parts.length - 1; depth++) {
      const folder = parts.slice(0, depth + 1).join("/");
      if (!shown.has(folder)) {
        shown.add(folder);
        rows.push({ folder: parts[depth], depth });
      }
    }
    rows.push({ path, name: parts[parts.length - 1], depth: parts.length - 1 });
  }
  return rows;
}

function firstFile(files, handler) {
  const module = (handler ?? "").split(".")[0];
  const paths = Object.keys(files).sort();
  return paths.find((p) => p.replace(/\.[^.]+$/, "") === module && files[p].text != null)
    ?? paths.find((p) => files[p].text != null) ?? paths[0];
}

export function CodeTab({ fn, onChanged }) {
  const config = fn.Configuration;
  const [files, setFiles] = useState(null);
  const [open, setOpen] = useState(null);
  const [dirty, setDirty] = useState(false);
  const [loadError, setLoadError] = useState(null);
  const [deployed, setDeployed] = useState(null);
  const [newName, setNewName] = useState("");
  const tooLarge = config.CodeSize > MAX_EDITABLE_BYTES;

  useEffect(() => {
    if (tooLarge || !fn.Code?.Location) return;
    download(fn.Code.Location).then((bytes) => {
      const read = readZip(bytes);
      setFiles(read);
      setOpen((o) => (o && read[o] ? o : firstFile(read, config.Handler))); // after a Deploy, stay on the file
    }, setLoadError);
  }, [config.CodeSha256]);

  const edit = (path, text) => {
    setFiles((f) => ({ ...f, [path]: { ...f[path], text } }));
    setDirty(true);
    setDeployed(null);
  };

  const deploy = async () => {
    const result = await aws().lambda.send(new UpdateFunctionCodeCommand({ FunctionName: config.FunctionName, ZipFile: writeZip(files) }));
    setDirty(false);
    setDeployed(`Successfully updated the function ${config.FunctionName}.`);
    onChanged(); // the new CodeSha256 and LastModified
    return result;
  };

  const [uploading, setUploading] = useState(false);
  const upload = async (e) => {
    const file = e.currentTarget.files?.[0];
    e.currentTarget.value = ""; // the same file may be chosen again
    if (!file) return;
    setUploading(true);
    setLoadError(null);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      await aws().lambda.send(new UpdateFunctionCodeCommand({ FunctionName: config.FunctionName, ZipFile: bytes }));
      setDirty(false);
      setDeployed(`Successfully updated the function ${config.FunctionName} with ${file.name}.`);
      onChanged();
    } catch (err) {
      setLoadError(err);
    } finally {
      setUploading(false);
    }
  };

  const addFile = () => {
    const path = newName.trim().replace(/^\/+/, "");
    if (!path || files[path]) return;
    setFiles({ ...files, [path]: { text: "", mode: defaultMode(path) } });
    setOpen(path);
    setNewName("");
    setDirty(true);
  };

  const removeFile = () => {
    const { [open]: _, ...rest } = files;
    setFiles(rest);
    setOpen(Object.keys(rest).sort()[0] ?? null);
    setDirty(true);
  };

  return (
    <div class="panel">
      <div class="row">
        <h2>Code source</h2>
        <span class="spacer" />
        {dirty && <span class="muted" role="status">Changes not deployed</span>}
        {files && <Action primary action={deploy} disabled={!dirty}>Deploy</Action>}
        <label class={`button file-button ${uploading ? "busy" : ""}`}>Upload from .zip file
          <input type="file" class="visually-hidden" accept=".zip,application/zip" disabled={uploading} onChange={upload} />
        </label>
      </div>
      {deployed && <div class="success" role="status">{deployed}</div>}
      <ErrorBox error={loadError} />
      {tooLarge && <p>The deployment package of your Lambda function "{config.FunctionName}" is too large ({formatBytes(config.CodeSize)}) to enable inline code editing. However, you can still invoke your function, or upload a new .zip file.</p>}
      {!tooLarge && !files && !loadError && <p class="muted busy">Loading the code</p>}
      {files && (
        <div class="code-layout">
          <nav class="files" aria-label="Files of the package">
            {treeRows(Object.keys(files)).map((row) => row.folder
              ? <div class="folder mono" style={`padding-left:${0.6 + row.depth}rem`}>{row.folder}/</div>
              : <button type="button" aria-current={row.path === open} title={row.path} style={`padding-left:${0.6 + row.depth}rem`}
                  onClick={() => setOpen(row.path)}>{row.name}</button>)}
            <div class="row" style="padding:.4rem">
              <input aria-label="New file name" placeholder="new_file.py" value={newName} style="width:8rem"
                onInput={(e) => setNewName(e.currentTarget.value)} onKeyDown={(e) => e.key === "Enter" && addFile()} />
              <button type="button" onClick={addFile}>Add file</button>
            </div>
          </nav>
          <div>
            {open && files[open]?.text != null && (
              <>
                <div class="row"><span class="mono">{open}</span><span class="spacer" />
                  <button type="button" onClick={removeFile}>Delete file</button></div>
                <Editor path={open} text={files[open].text} onChange={edit} label={`Code of ${open}`} />
              </>
            )}
            {open && files[open] && files[open].text == null && <p class="muted">{open} is a binary file ({formatBytes(files[open].data.length)}): kept as it is on Deploy.</p>}
          </div>
        </div>
      )}
    </div>
  );
}
