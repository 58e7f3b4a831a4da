// Sign-in: an access key and secret (the operator's, or an IAM user's), checked with STS GetCallerIdentity.
import { useState } from "preact/hooks";
import { signIn } from "../aws.js";
import { ErrorBox, Field } from "../ui.jsx";

export function SignIn({ onSignedIn }) {
  const [form, setForm] = useState({ accessKeyId: "", secretAccessKey: "", sessionToken: "", region: "us-east-1" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const set = (name) => (e) => setForm({ ...form, [name]: e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(form));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main>
      <form class="panel sign-in" onSubmit={submit}>
        <h1>Sign in to Kindling</h1>
        <p class="muted">With an access key: the one the server printed at start, or an IAM user's.</p>
        <Field label="Access key ID"><input name="accessKeyId" autocomplete="username" required value={form.accessKeyId} onInput={set("accessKeyId")} /></Field>
        <Field label="Secret access key"><input name="secretAccessKey" type="password" autocomplete="current-password" required value={form.secretAccessKey} onInput={set("secretAccessKey")} /></Field>
        <Field label="Session token" hint="Only for temporary credentials"><input name="sessionToken" value={form.sessionToken} onInput={set("sessionToken")} /></Field>
        <Field label="Region"><input name="region" required value={form.region} onInput={set("region")} /></Field>
        <ErrorBox error={error} title="Sign-in failed" />
        <button type="submit" class={`primary ${busy ? "busy" : ""}`} disabled={busy}>Sign in</button>
      </form>
    </main>
  );
}
