// CodeMirror 6 in a Preact component: one view, one editor state per file (so each keeps its own undo history).
import { useEffect, useRef } from "preact/hooks";
import { EditorView, basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { javascript } from "@codemirror/lang-javascript";
import { json } from "@codemirror/lang-json";

function language(path) {
  if (path.endsWith(".py")) return [python()];
  if (/\.(m?js|cjs)$/.test(path)) return [javascript()];
  if (/\.(ts|mts)$/.test(path)) return [javascript({ typescript: true })];
  if (path.endsWith(".json")) return [json()];
  return [];
}

/**
 * An editor of `path`'s text. `onChange(path, text)` is called on every edit. `label` names it for screen readers.
 * Tab indents; Escape then Tab leaves the editor (CodeMirror's convention), so the keyboard is never trapped.
 */
export function Editor({ path, text, onChange, label, className }) {
  const host = useRef(null);
  const view = useRef(null);
  const states = useRef(new Map());
  const changed = useRef(onChange);
  changed.current = onChange;

  const create = (p, t) => EditorState.create({
    doc: t,
    extensions: [basicSetup, keymap.of([indentWithTab]), ...language(p),
      EditorView.contentAttributes.of({ "aria-label": label ?? p }),
      EditorView.updateListener.of((u) => {
        states.current.set(p, u.state);
        if (u.docChanged) changed.current?.(p, u.state.doc.toString());
      })],
  });

  useEffect(() => {
    const state = create(path, text);
    states.current.set(path, state);
    view.current = new EditorView({ parent: host.current, state });
    return () => view.current.destroy();
  }, []);

  // Another file, or its text replaced from outside (a template chosen, a package loaded): show it.
  useEffect(() => {
    const v = view.current;
    if (states.current.get(path) === v.state && v.state.doc.toString() === text) return;
    let state = states.current.get(path);
    if (!state || state.doc.toString() !== text) state = create(path, text);
    states.current.set(path, state);
    v.setState(state);
  }, [path, text]);

  return <div class={`editor ${className ?? ""}`} ref={host} />;
}
