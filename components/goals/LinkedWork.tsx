/** The tickets linked to an objective. */
import { useQuery } from '@tanstack/react-query';
import { apiQuery, useSend } from '../shared/background';
import { ProblemView } from '../shared/ProblemView';

export function LinkedWork({ objectiveId }: { objectiveId: string }) {
  const send = useSend();
  const links = useQuery(apiQuery(send, 'links', { objectiveId, state: 'live' }));
  return (
    <>
      <h3>Linked work{links.data ? ` (${links.data.links.length})` : ''}</h3>
      <ProblemView problem={links.error} />
      {links.data?.links.length === 0 && <p className="muted">No ticket is linked to this objective.</p>}
      <ul className="plain" aria-label="Linked tickets">
        {links.data?.links.map((link) => (
          <li key={link.id}>
            <span className="ref">{link.ref}</span>{' '}
            <span className="muted">
              linked {new Date(link.createdAt).toLocaleDateString()}
              {link.createdBy ? ` by ${link.createdBy.name}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
