/**
 * The workspace's connections to the hosts' APIs, in the goals page's settings (admins only): each
 * host's address, the end of its token and its last sync, with a test that asks the host what the
 * token can read and a sync on demand; a new one is added with a token the API seals, and is never
 * shown again (nor is its webhook secret, shown once).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { ageText } from '../../lib/extension/labels';
import type { Connection, ConnectionMade, SyncRun } from '../../lib/shared/contract';
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
  /** Until when the list is read again every few seconds: a sync asked for shows how it went. */
  const [watchUntil, setWatchUntil] = useState(0);
  const list = useQuery({
    ...apiQuery(send, 'connections'),
    enabled: isAdmin,
    refetchInterval: (query) =>
      Date.now() < watchUntil || query.state.data?.connections.some((c) => c.lastSync?.status === 'running')
        ? 2_000
        : false,
  });
  const [host, setHost] = useState<Source>('github');
  const [baseUrl, setBaseUrl] = useState(DEFAULT_BASE_URLS.github);
  const [token, setToken] = useState('');
  const [site, setSite] = useState('');
  const [email, setEmail] = useState('');
  const [made, setMade] = useState<ConnectionMade | null>(null);
  const changed = () => queryClient.invalidateQueries({ queryKey: apiKeys.of('connections') });
  const add = useMutation({
    mutationFn: () =>
      callApi(send, 'createConnection', {
        host,
        baseUrl,
        token,
        ...(site.trim() && { site: site.trim() }),
        ...(host === 'jira' && email.trim() && { email: email.trim() }),
      }),
    onSuccess: (connection) => {
      setToken('');
      setMade(connection);
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
            <ConnectionRow
              key={c.id}
              connection={c}
              onRemove={() => remove.mutate(c.id)}
              removing={remove.isPending}
              onQueued={() => setWatchUntil(Date.now() + 60_000)}
            />
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
          <label htmlFor={`${id}-site`}>Tickets’ host name (optional)</label>
          <input
            id={`${id}-site`}
            value={site}
            placeholder={host === 'github' ? 'github.com' : host === 'jira' ? 'acme.atlassian.net' : 'app.asana.com'}
            onChange={(e) => setSite(e.target.value)}
            aria-describedby={`${id}-site-hint`}
          />
          <span id={`${id}-site-hint`} className="muted">
            Where your tickets’ pages are, when it is not the API’s own host.
          </span>
        </div>
        {host === 'jira' && (
          <div className="field wide">
            <label htmlFor={`${id}-email`}>Atlassian account e-mail (Jira Cloud)</label>
            <input
              id={`${id}-email`}
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-describedby={`${id}-email-hint`}
            />
            <span id={`${id}-email-hint`} className="muted">
              A Jira Cloud API token goes with its account’s e-mail; a Data Center personal access token needs none.
            </span>
          </div>
        )}
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
      {made && (
        <p role="status">
          {made.webhook.secret ? (
            <>
              Connected. For near-real-time syncs, register webhooks to{' '}
              <code>&lt;API address&gt;{made.webhook.path}</code> with the secret <code>{made.webhook.secret}</code>.
            </>
          ) : (
            <>
              Connected. For near-real-time syncs, register each Asana webhook to{' '}
              <code>&lt;API address&gt;{made.webhook.path}-&lt;a name of its own&gt;</code>.
            </>
          )}{' '}
          It is shown this once.
        </p>
      )}
    </section>
  );
}

/** A sync in words: how it went, when, and what it did. */
function syncText(run: SyncRun | null, now: number): string {
  if (!run) return 'Never synced yet.';
  const counts = `${run.created.toLocaleString('en')} new, ${run.updated.toLocaleString('en')} changed, ${run.removed.toLocaleString('en')} gone${run.failed ? `, ${run.failed.toLocaleString('en')} could not be read` : ''}`;
  if (run.status === 'running') return `Syncing since ${ageText(Date.parse(run.startedAt), now)}: ${counts} so far.`;
  const when = ageText(Date.parse(run.finishedAt ?? run.startedAt), now);
  if (run.status === 'failed') return `The last sync failed ${when}: ${run.error ?? 'no reason given'}.`;
  return `Last synced ${when}: ${counts}.`;
}

function ConnectionRow({
  connection: c,
  onRemove,
  removing,
  onQueued,
}: {
  connection: Connection;
  onRemove: () => void;
  removing: boolean;
  onQueued: () => void;
}) {
  const send = useSend();
  const queryClient = useQueryClient();
  const check = useMutation({ mutationFn: () => callApi(send, 'checkConnection', { id: c.id }) });
  const sync = useMutation({
    mutationFn: () => callApi(send, 'syncConnection', { id: c.id, mode: 'incremental' }),
    onSuccess: () => {
      onQueued();
      void queryClient.invalidateQueries({ queryKey: apiKeys.of('connections') });
    },
  });
  const name = `${HOST_NAMES[c.host]} at ${c.baseUrl}`;
  return (
    <li className="scope-entry connection-entry">
      <div>
        <span>
          {HOST_NAMES[c.host]} at {c.baseUrl} for {c.site} <span className="muted">(token {c.tokenHint})</span>
        </span>
        <p className={c.lastSync?.status === 'failed' ? 'state-detail problem-text' : 'state-detail'}>
          {syncText(c.lastSync, Date.now())}
        </p>
        {check.data && (
          <div role="status">
            {check.data.ok ? (
              <p className="state-detail">
                The token works{check.data.account ? ` (signed in as ${check.data.account})` : ''} and reads every part
                of the scope.
              </p>
            ) : (
              <ul className="state-detail problem-text">
                {check.data.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        {sync.data && (
          <p role="status" className="state-detail">
            {sync.data.queued ? 'Sync queued: this line updates when it has run.' : 'A sync is waiting already.'}
          </p>
        )}
        <ProblemView problem={check.error ?? sync.error} />
      </div>
      <span className="connection-actions">
        <button
          type="button"
          className="link-button"
          onClick={() => check.mutate()}
          disabled={check.isPending}
          aria-label={`Test the ${name} connection`}
        >
          {check.isPending ? 'Testing…' : 'Test'}
        </button>
        <button
          type="button"
          className="link-button"
          onClick={() => sync.mutate()}
          disabled={sync.isPending}
          aria-label={`Sync the ${name} connection now`}
        >
          Sync now
        </button>
        <button
          type="button"
          className="link-button"
          onClick={onRemove}
          disabled={removing}
          aria-label={`Remove the ${name} connection`}
        >
          Remove
        </button>
      </span>
    </li>
  );
}
