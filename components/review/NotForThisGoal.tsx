/** "Not for this goal": tickets that refuse a goal they would inherit from their epic, milestone or project. */
import { useQuery } from '@tanstack/react-query';
import { dayText } from '../../lib/extension/labels';
import { apiQuery, useSend } from '../shared/background';
import { ProblemView } from '../shared/ProblemView';
import { TicketTitle } from '../shared/parts';

export function NotForThisGoal() {
  const send = useSend();
  const exceptions = useQuery(apiQuery(send, 'linkExceptions', {}));
  const list = exceptions.data?.exceptions ?? [];
  return (
    <section aria-label="Not for this goal">
      <h2>Not for this goal{exceptions.data ? ` (${list.length})` : ''}</h2>
      <ProblemView problem={exceptions.error} />
      {exceptions.data && list.length === 0 && (
        <p className="muted">Every ticket serves the goals of its epics, milestones and projects.</p>
      )}
      <ul className="plain">
        {list.map((e) => (
          <li key={e.id}>
            <TicketTitle ticket={e} />{' '}
            <span className="muted">
              does not serve {e.objective.title}: marked{e.createdBy ? ` by ${e.createdBy.name}` : ''} on{' '}
              {dayText(e.createdAt)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
