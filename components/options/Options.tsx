import { type FormEvent, useEffect, useId, useState } from 'react';
import { type CustomDomain, type DomainKind, parseOrigin } from '../../lib/extension/custom-domains';
import type { PolicyView } from '../../lib/extension/messages';
import type { Identities, Me } from '../../lib/shared/contract';
import { useSend } from '../shared/background';

type Status = { tone: 'ok' | 'error' | 'busy'; text: string } | null;

/** What the last action said: announced, as an alert when it went wrong. */
function StatusLine({ status }: { status: Status }) {
  if (!status) return null;
  return (
    <p className={`status status-${status.tone}`} role={status.tone === 'error' ? 'alert' : 'status'}>
      {status.text}
    </p>
  );
}

const IDENTITY_FIELDS: { field: keyof Identities; label: string; hint: string }[] = [
  { field: 'githubLogin', label: 'GitHub login', hint: 'octocat' },
  { field: 'jiraName', label: 'Jira name', hint: 'As Jira shows you as assignee' },
  { field: 'jiraAccountId', label: 'Jira account id', hint: 'Optional' },
  { field: 'asanaName', label: 'Asana name', hint: 'As Asana shows you as assignee' },
  { field: 'asanaGid', label: 'Asana user id', hint: 'Optional: a connector fills it in' },
];

/**
 * Who the person is on each host: their tickets are those assigned to these names. Filled from
 * pages where they are signed in; what is typed here wins.
 */
function HostIdentities() {
  const send = useSend();
  const [values, setValues] = useState<Record<keyof Identities, string> | null>(null);
  const [status, setStatus] = useState<Status>(null);
  const baseId = useId();

  useEffect(() => {
    void send({ type: 'api', call: 'me' }).then((reply) => {
      if (!reply.ok) return;
      const { identities } = (reply.data as Me).user;
      setValues({
        githubLogin: identities.githubLogin ?? '',
        jiraName: identities.jiraName ?? '',
        jiraAccountId: identities.jiraAccountId ?? '',
        asanaName: identities.asanaName ?? '',
        asanaGid: identities.asanaGid ?? '',
      });
    });
  }, [send]);

  if (!values) return null;
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const patch = Object.fromEntries(IDENTITY_FIELDS.map(({ field }) => [field, values[field].trim() || null]));
    const reply = await send({ type: 'api', call: 'updateIdentities', input: patch });
    setStatus(reply.ok ? { tone: 'ok', text: 'Saved.' } : { tone: 'error', text: reply.problem.message });
  };
  return (
    <>
      <h2>Who you are on each host</h2>
      <p>
        Your coverage counts the tickets assigned to you. Throughline fills these in from pages where you are signed in;
        correct them here.
      </p>
      <form onSubmit={save} className="form-grid">
        {IDENTITY_FIELDS.map(({ field, label, hint }) => (
          <div className="field" key={field}>
            <label htmlFor={`${baseId}-${field}`}>{label}</label>
            <input
              id={`${baseId}-${field}`}
              value={values[field]}
              placeholder={hint}
              maxLength={200}
              onChange={(e) => setValues({ ...values, [field]: e.target.value })}
            />
          </div>
        ))}
        <div className="actions wide">
          <button type="submit">Save names</button>
        </div>
      </form>
      <StatusLine status={status} />
    </>
  );
}

const ORGANISATION = 'Set by your organisation';

/** What an organisation set by browser policy: said once at the top, with what it got wrong. */
function ManagedNotice({ policy }: { policy: PolicyView }) {
  return (
    <section className="notice" aria-label="Managed by your organisation">
      <p>
        Your organisation manages Throughline in this browser.{' '}
        {policy.locked
          ? `Settings marked “${ORGANISATION}” cannot be changed here.`
          : `Settings marked “${ORGANISATION}” are its defaults: save your own to replace them.`}
      </p>
      {policy.problems.length > 0 && (
        <div role="alert">
          <p>Your organisation’s policy has settings Throughline cannot use; ask its administrator to correct them:</p>
          <ul>
            {policy.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** The connection to the goals API: its URL, the token, and a test that says what is wrong. */
export function Options({
  grant,
}: {
  /** Asks the browser for access to one origin (and any permissions it needs); must run from the click. */
  grant: (origin: string, permissions?: 'scripting'[]) => Promise<boolean>;
}) {
  const send = useSend();
  const urlId = useId();
  const tokenId = useId();
  const [apiUrl, setApiUrl] = useState('');
  const [token, setToken] = useState('');
  const [hasToken, setHasToken] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const domainId = useId();
  const kindId = useId();
  const [domains, setDomains] = useState<CustomDomain[]>([]);
  const [domainInput, setDomainInput] = useState('');
  const [domainKind, setDomainKind] = useState<DomainKind>('jira');
  const [domainStatus, setDomainStatus] = useState<Status>(null);
  const [policy, setPolicy] = useState<PolicyView | null>(null);
  const urlNoteId = useId();
  const tokenNoteId = useId();
  /** Each successful connection test reloads what depends on the connection. */
  const [connections, setConnections] = useState(0);

  useEffect(() => {
    void send({ type: 'settings:get' }).then((reply) => {
      if (!reply.ok) return;
      const settings = reply.data as { apiUrl: string; hasToken: boolean };
      setApiUrl(settings.apiUrl);
      setHasToken(settings.hasToken);
    });
    void send({ type: 'domains:list' }).then((reply) => reply.ok && setDomains(reply.data as CustomDomain[]));
    void send({ type: 'policy:get' }).then((reply) => reply.ok && setPolicy(reply.data as PolicyView));
  }, [send]);

  const reloadPolicy = async () => {
    const reply = await send({ type: 'policy:get' });
    if (reply.ok) setPolicy(reply.data as PolicyView);
  };
  const urlFromPolicy = policy?.apiUrlFrom === 'policy';
  const tokenFromPolicy = policy?.tokenFrom === 'policy';
  const urlLocked = urlFromPolicy && policy?.locked === true;
  const tokenLocked = tokenFromPolicy && policy?.locked === true;

  /** The organisation's server, allowed by the person: the browser asks, then its script is registered. */
  const allowPolicyDomain = async (domain: CustomDomain) => {
    const granted = await grant(domain.origin, ['scripting']).catch(() => false);
    if (!granted) {
      setDomainStatus({ tone: 'error', text: `The browser was not allowed to run Throughline on ${domain.origin}.` });
      return;
    }
    const reply = await send({ type: 'domains:add', origin: domain.origin, kind: domain.kind });
    setDomainStatus(
      reply.ok
        ? { tone: 'ok', text: `Throughline now runs on ${domain.origin}. Reload its open tabs.` }
        : { tone: 'error', text: reply.problem.message },
    );
    await reloadPolicy();
  };

  const addDomain = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseOrigin(domainInput);
    if (!parsed.ok) {
      setDomainStatus({ tone: 'error', text: parsed.reason });
      return;
    }
    // The origin, and scripting to register the sidebar's script there, in one prompt.
    const granted = await grant(parsed.origin, ['scripting']).catch(() => false);
    if (!granted) {
      setDomainStatus({
        tone: 'error',
        text: `Not added: the browser was not allowed to run Throughline on ${parsed.origin}.`,
      });
      return;
    }
    const reply = await send({ type: 'domains:add', origin: parsed.origin, kind: domainKind });
    if (!reply.ok) {
      setDomainStatus({ tone: 'error', text: reply.problem.message });
      return;
    }
    setDomains(reply.data as CustomDomain[]);
    setDomainInput('');
    setDomainStatus({ tone: 'ok', text: `Throughline now runs on ${parsed.origin}. Reload its open tabs.` });
  };

  const removeDomain = async (origin: string) => {
    const reply = await send({ type: 'domains:remove', origin });
    if (reply.ok) {
      setDomains(reply.data as CustomDomain[]);
      setDomainStatus({ tone: 'ok', text: `Removed ${origin}.` });
    }
  };

  const test = async () => {
    setStatus({ tone: 'busy', text: 'Testing the connection…' });
    const reply = await send({ type: 'connection:test' });
    if (reply.ok) {
      const me = reply.data as Me;
      setStatus({ tone: 'ok', text: `Connected as ${me.user.name} in ${me.workspace.name}.` });
      setConnections((n) => n + 1);
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
    // Left empty, the saved token is kept for the same server only (the background decides).
    const reply = await send({ type: 'settings:set', apiUrl, ...(token && { token }) });
    if (!reply.ok) {
      setStatus({ tone: 'error', text: reply.problem.message });
      return;
    }
    setToken('');
    const saved = await send({ type: 'settings:get' });
    if (saved.ok) setHasToken((saved.data as { hasToken: boolean }).hasToken);
    await reloadPolicy();
    await test();
  };

  return (
    <main className="page options">
      <h1>Throughline</h1>
      <p>Connect the extension to your team’s goals API. The token stays in this browser’s extension storage.</p>
      {policy?.managed && <ManagedNotice policy={policy} />}
      <form onSubmit={save}>
        <label htmlFor={urlId}>Goals API URL</label>
        <div className="with-note">
          <input
            id={urlId}
            type="url"
            required
            value={apiUrl}
            readOnly={urlLocked}
            aria-describedby={urlFromPolicy ? urlNoteId : undefined}
            placeholder="https://goals.example.com"
            onChange={(e) => setApiUrl(e.target.value)}
          />
          {urlFromPolicy && (
            <span id={urlNoteId} className="chip">
              {ORGANISATION}
            </span>
          )}
        </div>
        <label htmlFor={tokenId}>API token</label>
        <div className="with-note">
          <input
            id={tokenId}
            type="password"
            autoComplete="off"
            value={token}
            disabled={tokenLocked}
            aria-describedby={tokenFromPolicy ? tokenNoteId : undefined}
            placeholder={
              tokenFromPolicy ? ORGANISATION : hasToken ? 'A token is saved; paste a new one to replace it' : 'tl_…'
            }
            onChange={(e) => setToken(e.target.value)}
          />
          {tokenFromPolicy && (
            <span id={tokenNoteId} className="chip">
              {ORGANISATION}
            </span>
          )}
        </div>
        <div className="actions">
          <button type="submit">Save and test</button>
          <button type="button" onClick={() => void test()}>
            Test connection
          </button>
        </div>
      </form>
      <StatusLine status={status} />

      <HostIdentities key={connections} />

      <h2>Self-hosted Jira and GitHub Enterprise</h2>
      <p>
        Throughline runs on github.com, Atlassian Cloud and Asana by itself. Add your own server here; the browser asks
        you to allow that one address.
      </p>
      <form onSubmit={addDomain}>
        <label htmlFor={domainId}>Server address</label>
        <input
          id={domainId}
          value={domainInput}
          placeholder="jira.example.com"
          onChange={(e) => setDomainInput(e.target.value)}
        />
        <label htmlFor={kindId}>It runs</label>
        <select id={kindId} value={domainKind} onChange={(e) => setDomainKind(e.target.value as DomainKind)}>
          <option value="jira">Jira Server or Data Center</option>
          <option value="github">GitHub Enterprise Server</option>
        </select>
        <div className="actions">
          <button type="submit">Add and allow</button>
        </div>
      </form>
      <StatusLine status={domainStatus} />
      {policy && policy.domains.length > 0 && (
        <ul aria-label="Servers set by your organisation">
          {policy.domains.map((d) => (
            <li key={d.origin}>
              {d.origin} ({d.kind === 'jira' ? 'Jira' : 'GitHub Enterprise'}){' '}
              <span className="chip">{ORGANISATION}</span>{' '}
              {d.allowed ? (
                <span className="chip chip-good">Allowed</span>
              ) : (
                <button type="button" onClick={() => void allowPolicyDomain(d)}>
                  Allow
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {domains.length > 0 && (
        <ul aria-label="Added servers">
          {domains.map((d) => (
            <li key={d.origin}>
              {d.origin} ({d.kind === 'jira' ? 'Jira' : 'GitHub Enterprise'}){' '}
              <button type="button" onClick={() => void removeDomain(d.origin)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
