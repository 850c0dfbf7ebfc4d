/**
 * The workspace's scope, in the goals page's settings: what is the company's work. Everyone sees
 * it; admins add an organisation, repository, site or project by pasting its URL, and remove one.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { apiKeys, apiQuery, callApi, useSend } from '../shared/background';
import { ProblemView } from '../shared/ProblemView';

type SelfHosted = '' | 'github' | 'jira';

export function ScopeSettings() {
  const send = useSend();
  const id = useId();
  const queryClient = useQueryClient();
  const me = useQuery(apiQuery(send, 'me'));
  const scope = useQuery(apiQuery(send, 'scope'));
  const [url, setUrl] = useState('');
  const [selfHosted, setSelfHosted] = useState<SelfHosted>('');
  const changed = () => queryClient.invalidateQueries({ queryKey: apiKeys.of('scope') });
  const add = useMutation({
    mutationFn: () => callApi(send, 'declareScope', { url, ...(selfHosted && { selfHosted }) }),
    onSuccess: () => {
      setUrl('');
      void changed();
    },
  });
  const remove = useMutation({
    mutationFn: (entryId: string) => callApi(send, 'removeScope', { id: entryId }),
    onSuccess: () => void changed(),
  });
  const isAdmin = me.data?.user.role === 'admin';
  const entries = scope.data?.entries ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (url.trim()) add.mutate();
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Workspace scope</h2>
      <p className="muted">
        What is your company’s work. Tickets outside it are not recorded, count in no figure, and get no warning.
        {entries.length === 0 && ' None is declared yet: every ticket counts.'}
      </p>
      <ProblemView problem={scope.error} />
      {entries.length > 0 && (
        <ul className="scope-list">
          {entries.map((entry) => (
            <li key={entry.id} className="scope-entry">
              <span>{entry.description}</span>
              {isAdmin && (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => remove.mutate(entry.id)}
                  disabled={remove.isPending}
                  aria-label={`Remove ${entry.description} from the scope`}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {isAdmin && entries.length === 1 && (
        <p className="muted">Removing the last entry makes every ticket count again.</p>
      )}
      <ProblemView problem={remove.error} />
      {isAdmin && (
        <form className="form-grid" onSubmit={submit}>
          <div className="field wide">
            <label htmlFor={`${id}-url`}>Add by URL</label>
            <input
              id={`${id}-url`}
              type="url"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://github.com/acme, https://acme.atlassian.net/browse/PAY-1"
              aria-describedby={`${id}-hint`}
            />
            <span id={`${id}-hint`} className="muted">
              An organisation or repository page, a Jira project or any of its issues, or a site’s address for all of
              it.
            </span>
          </div>
          <div className="field">
            <label htmlFor={`${id}-kind`}>A self-hosted server?</label>
            <select id={`${id}-kind`} value={selfHosted} onChange={(e) => setSelfHosted(e.target.value as SelfHosted)}>
              <option value="">No: GitHub, Jira Cloud or Asana</option>
              <option value="github">GitHub Enterprise Server</option>
              <option value="jira">Jira Server / Data Center</option>
            </select>
          </div>
          <div className="actions">
            <button type="submit" className="primary" disabled={add.isPending || !url.trim()}>
              Add to the scope
            </button>
          </div>
        </form>
      )}
      <ProblemView problem={add.error} />
    </section>
  );
}
