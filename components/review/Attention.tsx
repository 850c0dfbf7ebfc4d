/** What needs attention: starved objectives, unlinked tickets by effort, stale links and goals. */
import { STALE_TEXT } from '../../lib/extension/labels';
import type { Review } from '../../lib/shared/contract';
import { TicketTitle } from '../shared/parts';

export function Attention({ review }: { review: Review }) {
  return (
    <>
      <section aria-label="Unlinked tickets">
        <h2>
          Unlinked tickets with the most effort
          {review.unlinkedCount > 15 ? ` (15 of ${review.unlinkedCount})` : ''}
        </h2>
        {review.unlinked.length === 0 ? (
          <p className="muted">Every active ticket serves a goal.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Ticket</th>
                <th>Assignees</th>
                <th className="number">Effort</th>
              </tr>
            </thead>
            <tbody>
              {review.unlinked.slice(0, 15).map((item) => (
                <tr key={item.id}>
                  <td>
                    <TicketTitle ticket={item} />
                    <div className="ref">{item.ref}</div>
                  </td>
                  <td>{item.assignees.join(', ') || <span className="muted">nobody</span>}</td>
                  <td className="number">{item.effort}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-label="Stale links">
        <h2>Stale links ({review.staleLinks.length})</h2>
        {review.staleLinks.length === 0 && <p className="muted">None.</p>}
        <ul className="plain">
          {review.staleLinks.map((s) => (
            <li key={s.linkId}>
              <span className="title-text">{s.title || s.ref}</span>{' '}
              <span className="muted">
                → {s.objective.title}: {STALE_TEXT[s.reason]}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-label="Stale goals">
        <h2>Stale goals ({review.staleGoals.length})</h2>
        {review.staleGoals.length === 0 && <p className="muted">Every open goal had its status update in time.</p>}
        <ul className="plain">
          {review.staleGoals.map((g) => (
            <li key={g.objective.id}>
              <span className="title-text">{g.objective.title}</span>{' '}
              <span className="muted">
                — {g.objective.owner?.name ?? 'no owner'}; last update{' '}
                {g.lastUpdateAt ? new Date(g.lastUpdateAt).toLocaleDateString() : 'never'}, due since{' '}
                {new Date(g.dueSince).toLocaleDateString()}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
