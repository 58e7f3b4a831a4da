// A function's deployment package as the editor sees it: files by path, with their Unix modes kept, so that a
// bootstrap stays executable when the package is zipped again for Deploy.
import { unzipSync, zipSync, strFromU8, strToU8 } from "fflate";

/** AWS's console edits packages up to 3 MB inline; larger ones are replaced by uploading a zip. */
export const MAX_EDITABLE_BYTES = 3 * 1024 * 1024;

/** Reads a zip into { path: { data: Uint8Array, mode: number, text: string|null } } (directories left out). */
export function readZip(bytes) {
  const modes = unixModes(bytes);
  const entries = unzipSync(bytes);
  const files = {};
  for (const [path, data] of Object.entries(entries)) {
    if (path.endsWith("/")) continue;
    files[path] = { data, mode: modes.get(path) ?? 0o644, text: asText(data) };
  }
  return files;
}

/** Zips the files again; an edited file's text replaces its bytes. */
export function writeZip(files) {
  const entries = {};
  for (const [path, file] of Object.entries(files)) {
    const data = file.text != null ? strToU8(file.text) : file.data;
    entries[path] = [data, { os: 3, attrs: ((0o100000 | (file.mode & 0o7777)) << 16) >>> 0, level: 6 }];
  }
  return zipSync(entries);
}

/** A new file's mode: executable for what runs directly (a custom runtime's bootstrap, a script). */
export function defaultMode(path) {
  return path === "bootstrap" || path.endsWith("/bootstrap") || path.endsWith(".sh") ? 0o755 : 0o644;
}

function asText(data) {
  if (data.length > MAX_EDITABLE_BYTES) return null;
  for (let i = 0; i < Math.min(data.length, 8000); i++) if (data[i] === 0) return null; // binary
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    return null;
  }
}

/** The Unix mode of each entry, from the zip's central directory (fflate does not report it). */
function unixModes(bytes) {
  const modes = new Map();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) return modes;
  let at = view.getUint32(end + 16, true);
  const count = view.getUint16(end + 10, true);
  for (let i = 0; i < count && at + 46 <= bytes.length && view.getUint32(at, true) === 0x02014b50; i++) {
    const madeBy = view.getUint16(at + 4, true) >> 8;
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const external = view.getUint32(at + 38, true);
    const name = strFromU8(bytes.subarray(at + 46, at + 46 + nameLength));
    if (madeBy === 3 && external >>> 16) modes.set(name, (external >>> 16) & 0o7777);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return modes;
}
