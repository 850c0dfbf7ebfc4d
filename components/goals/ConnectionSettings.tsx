/**
 * The workspace's connections to the hosts' APIs, in the goals page's settings (admins only): each
 * host's address and the end of its token; a new one is added with a token the API seals, and is
 * never shown again.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import type { Source } from '../../lib/shared/ref';
import { apiKeys, apiQuery, callApi, useSend } from '../shared/background';
import { ProblemView } from '../shared/ProblemView';

const HOST_NAMES: Record<Source, string> = { github: 'GitHub', jira: 'Jira', asana: 'Asana' };
/** The public APIs' addresses; a Jira site has its own. */
const DEFAULT_BASE_URLS: Record<Source, string> = {
  github: 'https://api.github.com',
  jira: '',
  asana: 'https://app.asana.com/api/1.0',
};
const BASE_URL_HINTS: Record<Source, string> = {
  github: 'https://api.github.com (Enterprise Server: https://HOST/api/v3)',
  jira: 'https://acme.atlassian.net (Server / Data Center: its base URL, with its context path)',
  asana: 'https://app.asana.com/api/1.0',
};

export function ConnectionSettings() {
  const send = useSend();
  const id = useId();
  const queryClient = useQueryClient();
  const me = useQuery(apiQuery(send, 'me'));
  const isAdmin = me.data?.user.role === 'admin';
  const list = useQuery({ ...apiQuery(send, 'connections'), enabled: isAdmin });
  const [host, setHost] = useState<Source>('github');
  const [baseUrl, setBaseUrl] = useState(DEFAULT_BASE_URLS.github);
  const [token, setToken] = useState('');
  const changed = () => queryClient.invalidateQueries({ queryKey: apiKeys.of('connections') });
  const add = useMutation({
    mutationFn: () => callApi(send, 'createConnection', { host, baseUrl, token }),
    onSuccess: () => {
      setToken('');
      void changed();
    },
  });
  const remove = useMutation({
    mutationFn: (connectionId: string) => callApi(send, 'removeConnection', { id: connectionId }),
    onSuccess: () => void changed(),
  });
  if (!isAdmin) return null;
  const connections = list.data?.connections ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (baseUrl.trim() && token.trim()) add.mutate();
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Connections to GitHub, Jira and Asana</h2>
      <p className="muted">
        The hosts’ APIs the goals API reads your scope’s tickets from. Tokens are stored sealed and never shown again.
      </p>
      <ProblemView problem={list.error} />
      {list.data && connections.length === 0 && <p className="muted">No connection yet.</p>}
      {connections.length > 0 && (
        <ul className="scope-list">
          {connections.map((c) => (
            <li key={c.id} className="scope-entry">
              <span>
                {HOST_NAMES[c.host]} at {c.baseUrl} <span className="muted">(token {c.tokenHint})</span>
              </span>
              <button
                type="button"
                className="link-button"
                onClick={() => remove.mutate(c.id)}
                disabled={remove.isPending}
                aria-label={`Remove the ${HOST_NAMES[c.host]} connection at ${c.baseUrl}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <ProblemView problem={remove.error} />
      <form className="form-grid" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-host`}>Host</label>
          <select
            id={`${id}-host`}
            value={host}
            onChange={(e) => {
              const next = e.target.value as Source;
              setHost(next);
              setBaseUrl(next === 'jira' ? '' : (BASE_URL_HINTS[next].split(' ')[0] ?? ''));
            }}
          >
            <option value="github">GitHub</option>
            <option value="jira">Jira</option>
            <option value="asana">Asana</option>
          </select>
        </div>
        <div className="field wide">
          <label htmlFor={`${id}-url`}>API address</label>
          <input
            id={`${id}-url`}
            type="url"
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
            aria-describedby={`${id}-url-hint`}
          />
          <span id={`${id}-url-hint`} className="muted">
            {BASE_URL_HINTS[host]}
          </span>
        </div>
        <div className="field wide">
          <label htmlFor={`${id}-token`}>Token</label>
          <input
            id={`${id}-token`}
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={add.isPending || !baseUrl.trim() || !token.trim()}>
            Connect
          </button>
        </div>
      </form>
      <ProblemView problem={add.error} />
    </section>
  );
}
