/** Reviews held before, with the figures they saw and the decisions they took. */
import { DECISION_KIND_TEXT, percentOrNull } from '../../lib/extension/labels';
import type { HeldReview } from '../../lib/shared/contract';

export function PastReviews({ reviews }: { reviews: HeldReview[] }) {
  return (
    <section aria-label="Past reviews">
      <h2>Past reviews</h2>
      {reviews.length === 0 && <p className="muted">No review was recorded yet.</p>}
      <ul className="plain">
        {reviews.map((r) => (
          <li key={r.id} data-testid="past-review">
            <strong>{new Date(r.heldAt).toLocaleDateString()}</strong> · {r.team?.name ?? 'Whole workspace'} ·{' '}
            {r.period.name}
            {r.heldBy ? ` · held by ${r.heldBy.name}` : ''}
            <div className="muted">
              Coverage {percentOrNull(r.figures.coverage) ?? 'n/a'}, fit {r.figures.fit?.toFixed(2) ?? 'n/a'}
              {r.figures.coverageDriftFlagged ? ', coverage drifting' : ''}
              {r.figures.starved.length > 0 ? `, starved: ${r.figures.starved.join(', ')}` : ''}
            </div>
            {r.notes && <div className="title-text">{r.notes}</div>}
            {r.decisions.length === 0 ? (
              <div className="muted">
                <em>No decision recorded.</em>
              </div>
            ) : (
              <ul>
                {r.decisions.map((d) => (
                  <li key={d.id}>
                    <strong>{DECISION_KIND_TEXT[d.kind]}:</strong> <span className="title-text">{d.summary}</span>
                    {d.owner && ` — ${d.owner.name}`}
                    {d.dueOn && `, due ${d.dueOn}`}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
