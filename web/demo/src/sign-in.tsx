import { type FormEvent, useEffect, useState } from "react";
import { GatewayError, run } from "./gateway.ts";
import type { Viewer } from "./types.ts";

/**
 * A plain email and password form (`Login`); the gateway answers with HttpOnly session cookies,
 * which every later request and the next socket carry. A session left from an earlier visit is
 * picked up (`Me`).
 */
export function SignIn({
  viewer,
  onSignedIn,
}: {
  viewer: Viewer | null;
  onSignedIn: (viewer: Viewer) => void;
}) {
  const [email, setEmail] = useState("fan1@urr.local");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    run<{ me: Viewer }>("Me").then(
      ({ me }) => onSignedIn(me),
      () => {}, // nobody signed in yet
    );
  }, [onSignedIn]);

  if (viewer) return <p className="viewer">Signed in as {viewer.email}</p>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const { login } = await run<{ login: { user: Viewer } }>("Login", { input: { email, password } });
      onSignedIn(login.user);
    } catch (error) {
      setProblem(error instanceof GatewayError ? error.message : "The gateway could not be reached");
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="sign-in" onSubmit={submit} aria-label="Sign in">
      <label>
        Email <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
      </label>
      <label>
        Password{" "}
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      <button type="submit" disabled={busy}>
        Sign in
      </button>
      <small>Demo fans: fan1@urr.local, fan2@urr.local · password urr-demo-1234</small>
      {problem && <span role="alert">{problem}</span>}
    </form>
  );
}
