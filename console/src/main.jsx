// The console's shell: sign-in, the top bar, and routing by the URL's hash (#/functions, #/create,
// #/functions/<name>/<tab>), so that every page has an address a person can bookmark or reload.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { currentSession, signOut } from "./aws.js";
import { SignIn } from "./pages/SignIn.jsx";
import { Functions } from "./pages/Functions.jsx";
import { CreateFunction } from "./pages/CreateFunction.jsx";
import { FunctionPage } from "./pages/FunctionPage.jsx";

function useHash() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return hash;
}

function page(hash) {
  const parts = hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  if (parts[0] === "create") return <CreateFunction />;
  if (parts[0] === "functions" && parts[1]) return <FunctionPage name={parts[1]} tab={parts[2] || "code"} key={parts[1]} />;
  return <Functions />;
}

function App() {
  const [session, setSession] = useState(currentSession());
  const hash = useHash();
  useEffect(() => { // a title per page, for tabs, history and screen readers
    const parts = hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
    const page = !session ? "Sign in" : parts[0] === "create" ? "Create function"
      : parts[0] === "functions" && parts[1] ? `${parts[1]} - Functions` : "Functions";
    document.title = `${page} - Kindling console`;
  }, [session, hash]);
  if (!session) return <SignIn onSignedIn={setSession} />;
  return (
    <>
      <header class="top">
        <a href="#/functions">Kindling</a>
        <a href="#/functions">Functions</a>
        <span class="who" title={session.arn}>{session.arn} · {session.region}</span>
        <button type="button" onClick={() => { signOut(); setSession(null); }}>Sign out</button>
      </header>
      <main>{page(hash)}</main>
    </>
  );
}

const root = document.getElementById("app");
root.textContent = ""; // the "Loading" note: Preact adds to what is there
render(<App />, root);
