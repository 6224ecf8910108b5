import { type FormEvent, useState } from 'react';
import { signIn } from '../api';
import { useTitle } from '../hooks';

export function SignInPage({ onSignedIn }: { onSignedIn: () => void }) {
  useTitle('Sign in');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(value.trim());
      onSignedIn();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="signin" id="main">
      <h1>Strata</h1>
      <p className="muted">
        Sign in with an API token (<code>strata server token create --scope read</code>).
      </p>
      {/* method post: a browser that runs no script still never puts the token in the URL */}
      <form method="post" action="/signin" onSubmit={submit}>
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          // biome-ignore lint/a11y/noAutofocus: the only field of the page
          autoFocus
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-describedby={error ? 'token-error' : undefined}
        />
        <button type="submit" disabled={busy || value.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error ? (
          <p id="token-error" className="error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
      <p className="muted small">
        The token is kept in this tab's session storage only and sent in a header.
      </p>
    </main>
  );
}
