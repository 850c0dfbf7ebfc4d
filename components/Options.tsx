import { type FormEvent, useEffect, useId, useState } from 'react';
import type { Me } from '../lib/contract';
import type { PageRequest, Reply } from '../lib/messages';

type Status = { tone: 'ok' | 'error' | 'busy'; text: string } | null;

/** The connection to the goals API: its URL, the token, and a test that says what is wrong. */
export function Options({
  send,
  grant,
}: {
  send: (request: PageRequest) => Promise<Reply<unknown>>;
  /** Asks the browser for access to one origin; must run from the click. */
  grant: (origin: string) => Promise<boolean>;
}) {
  const urlId = useId();
  const tokenId = useId();
  const [apiUrl, setApiUrl] = useState('');
  const [token, setToken] = useState('');
  const [hasToken, setHasToken] = useState(false);
  const [status, setStatus] = useState<Status>(null);

  useEffect(() => {
    void send({ type: 'settings:get' }).then((reply) => {
      if (!reply.ok) return;
      const settings = reply.data as { apiUrl: string; hasToken: boolean };
      setApiUrl(settings.apiUrl);
      setHasToken(settings.hasToken);
    });
  }, [send]);

  const test = async () => {
    setStatus({ tone: 'busy', text: 'Testing the connection…' });
    const reply = await send({ type: 'connection:test' });
    if (reply.ok) {
      const me = reply.data as Me;
      setStatus({ tone: 'ok', text: `Connected as ${me.user.name} in ${me.workspace.name}.` });
    } else {
      setStatus({ tone: 'error', text: reply.problem.message });
    }
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    let origin: string;
    try {
      origin = new URL(apiUrl).origin;
    } catch {
      setStatus({ tone: 'error', text: 'The API URL is not a URL: it looks like https://goals.example.com' });
      return;
    }
    // Asked first, while the click still counts as the user's gesture.
    const granted = await grant(origin).catch(() => false);
    if (!granted) {
      setStatus({
        tone: 'error',
        text: `Throughline needs your permission to reach ${origin}. Save again and allow it.`,
      });
      return;
    }
    // Left empty, the saved token is kept.
    const reply = await send({ type: 'settings:set', apiUrl, ...(token && { token }) });
    if (!reply.ok) {
      setStatus({ tone: 'error', text: reply.problem.message });
      return;
    }
    setToken('');
    setHasToken(true);
    await test();
  };

  return (
    <main className="options">
      <h1>Throughline</h1>
      <p>Connect the extension to your team’s goals API. The token stays in this browser’s extension storage.</p>
      <form onSubmit={save}>
        <label htmlFor={urlId}>Goals API URL</label>
        <input
          id={urlId}
          type="url"
          required
          value={apiUrl}
          placeholder="https://goals.example.com"
          onChange={(e) => setApiUrl(e.target.value)}
        />
        <label htmlFor={tokenId}>API token</label>
        <input
          id={tokenId}
          type="password"
          autoComplete="off"
          value={token}
          placeholder={hasToken ? 'A token is saved; paste a new one to replace it' : 'tl_…'}
          onChange={(e) => setToken(e.target.value)}
        />
        <div className="actions">
          <button type="submit">Save and test</button>
          <button type="button" onClick={() => void test()}>
            Test connection
          </button>
        </div>
      </form>
      {status && (
        <p className={`status status-${status.tone}`} role={status.tone === 'error' ? 'alert' : 'status'}>
          {status.text}
        </p>
      )}
    </main>
  );
}
