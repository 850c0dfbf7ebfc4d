/** The tickets linked to an objective, and linking one (or an epic, milestone, label or project) by its address. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { refText } from '../../lib/extension/labels';
import { workRefFromUrl } from '../../lib/extension/work-url';
import { apiKeys, apiQuery, callApi, useSend } from '../shared/background';
import { ProblemView } from '../shared/ProblemView';

export function LinkedWork({ objectiveId }: { objectiveId: string }) {
  const send = useSend();
  const id = useId();
  const queryClient = useQueryClient();
  const links = useQuery(apiQuery(send, 'links', { objectiveId, state: 'live' }));
  const [url, setUrl] = useState('');
  const [refused, setRefused] = useState<string | null>(null);
  const link = useMutation({
    mutationFn: (ref: string) => callApi(send, 'createLink', { ref, objectiveId }),
    onSuccess: () => {
      setUrl('');
      void queryClient.invalidateQueries({ queryKey: apiKeys.of('links') });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const named = workRefFromUrl(url);
    setRefused(named.ok ? null : named.reason);
    if (named.ok) link.mutate(named.ref);
  };
  return (
    <>
      <h3>Linked work{links.data ? ` (${links.data.links.length})` : ''}</h3>
      <ProblemView problem={links.error} />
      {links.data?.links.length === 0 && <p className="muted">No ticket is linked to this objective.</p>}
      <ul className="plain" aria-label="Linked tickets">
        {links.data?.links.map((l) => (
          <li key={l.id}>
            <span className="ref">{refText(l.ref)}</span>{' '}
            <span className="muted">
              linked {new Date(l.createdAt).toLocaleDateString()}
              {l.createdBy ? ` by ${l.createdBy.name}` : ''}
            </span>
          </li>
        ))}
      </ul>
      <form className="form-grid" onSubmit={submit}>
        <div className="field wide">
          <label htmlFor={`${id}-url`}>Link by address</label>
          <input
            id={`${id}-url`}
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://acme.atlassian.net/browse/PAY-300, https://github.com/acme/api/milestone/3"
            aria-describedby={`${id}-hint`}
          />
          <span id={`${id}-hint`} className="muted">
            A ticket, or an epic, milestone, label, GitHub Project or Asana project: every ticket under it serves this
            objective.
          </span>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={link.isPending || !url.trim()}>
            Link
          </button>
        </div>
      </form>
      {refused && (
        <p className="notice notice-bad" role="alert">
          Not linked: {refused}
        </p>
      )}
      <ProblemView problem={link.error} />
    </>
  );
}
