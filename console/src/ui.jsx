// Small building blocks every page uses: an action button that shows its progress and the API's error, an error
// box, tabs that work with the keyboard, and a hook that loads data.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { describeError } from "./aws.js";

/** AWS's error, as AWS words it: code, then message. */
export function ErrorBox({ error, title }) {
  if (!error) return null;
  const { code, message, status } = describeError(error);
  return (
    <div class="error" role="alert">
      {title && <strong>{title}</strong>}
      {code && <span class="error-code">{code}{status ? ` (${status})` : ""}: </span>}
      <span class="error-message">{message}</span>
    </div>
  );
}

/** A button that runs `action`, shows progress while it runs, and the error if it fails. */
export function Action({ action, children, primary, disabled, label, onDone }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await action();
      onDone?.(result);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="action">
      <button type="button" class={`${primary ? "primary" : ""} ${busy ? "busy" : ""}`} disabled={disabled || busy}
        aria-busy={busy} aria-label={label} onClick={run}>{children}</button>
      <ErrorBox error={error} title={`${typeof children === "string" ? children : "The action"} failed`} />
    </span>
  );
}

/** Loads with `load` on mount and whenever `deps` change; `reload` loads again. */
export function useLoad(load, deps) {
  const [state, setState] = useState({ loading: true, value: undefined, error: null });
  const generation = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const value = await load();
      if (mine === generation.current) setState({ loading: false, value, error: null });
    } catch (error) {
      if (mine === generation.current) setState({ loading: false, value: undefined, error });
    }
  }, deps);
  useEffect(() => { reload(); }, [reload]);
  return { ...state, reload };
}

/** Shows progress, the error, or the content. */
export function Loaded({ state, children, what }) {
  if (state.error) return <ErrorBox error={state.error} title={`Could not load ${what}`} />;
  if (state.loading && state.value === undefined) return <p class="muted busy">Loading {what}</p>;
  return children(state.value);
}

/** Tabs in the WAI-ARIA pattern: arrow keys move between them. */
export function Tabs({ tabs, selected, onSelect }) {
  const keys = (e) => {
    const i = tabs.findIndex((t) => t.id === selected);
    const next = e.key === "ArrowRight" ? (i + 1) % tabs.length : e.key === "ArrowLeft" ? (i - 1 + tabs.length) % tabs.length : -1;
    if (next >= 0) {
      onSelect(tabs[next].id);
      e.currentTarget.parentElement.querySelectorAll("[role=tab]")[next]?.focus();
    }
  };
  return (
    <div role="tablist">
      {tabs.map((t) => (
        <button type="button" role="tab" id={`tab-${t.id}`} aria-selected={t.id === selected}
          tabIndex={t.id === selected ? 0 : -1} onClick={() => onSelect(t.id)} onKeyDown={keys}>{t.label}</button>
      ))}
    </div>
  );
}

/** A labelled form field. */
export function Field({ label, hint, children }) {
  return <label class="field"><span>{label}</span>{children}{hint && <small>{hint}</small>}</label>;
}

export function formatBytes(n) {
  if (n == null) return "";
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function formatDate(value) {
  if (!value) return "";
  const d = new Date(value);
  return isNaN(d) ? String(value) : d.toLocaleString();
}
