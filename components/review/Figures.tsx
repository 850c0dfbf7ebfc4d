/** The review's headline figures and its drift warnings. */
import { percentOrNull, starvedText } from '../../lib/extension/labels';
import type { Review } from '../../lib/shared/contract';

export function Figures({ review }: { review: Review }) {
  const { drift } = review;
  return (
    <section className="cards" aria-label="Key figures">
      <div className="card">
        <div className="figure-label">Coverage this week</div>
        <div className="figure" data-testid="review-coverage">
          {percentOrNull(review.coverage.coverage) ?? '–'}
        </div>
        <div className="muted">
          {review.coverage.coveredEffort} of {review.coverage.totalEffort} points
        </div>
      </div>
      <div className="card">
        <div className="figure-label">Fit of work to priority</div>
        <div className="figure" data-testid="review-fit">
          {review.fit === null ? '–' : review.fit.toFixed(2)}
        </div>
        <div className="muted">1.00: effort spread exactly as strategy says</div>
      </div>
      <div className="card">
        <div className="figure-label">Allocation drift</div>
        <div className="figure">
          {drift.allocationDrift.latest === null ? '–' : drift.allocationDrift.latest.toFixed(2)}
        </div>
        <div className="muted">{drift.allocationDrift.flagged ? 'Above the warning threshold' : 'Within the plan'}</div>
      </div>
      <div className="card">
        <div className="figure-label">Unlinked intake</div>
        <div className="figure">{percentOrNull(drift.unlinkedIntake.share) ?? '–'}</div>
        <div className="muted">of {drift.unlinkedIntake.newItems} new tickets got no link in time</div>
      </div>
    </section>
  );
}

export function DriftWarnings({ review }: { review: Review }) {
  const { coverageDrift, allocationDrift } = review.drift;
  const starved = review.allocation.filter((r) => r.starved);
  if (!coverageDrift.flagged && !allocationDrift.flagged && starved.length === 0) {
    return <p className="notice notice-good">No drift: coverage holds and work follows the plan.</p>;
  }
  return (
    <section aria-label="Drift warnings">
      {coverageDrift.flagged && (
        <div className="notice notice-warn">
          <strong>Coverage is drifting:</strong> {coverageDrift.reasons.join('; ')}.
        </div>
      )}
      {allocationDrift.flagged && (
        <div className="notice notice-warn">
          <strong>Allocation drift {allocationDrift.latest?.toFixed(2)}:</strong> the work has moved away from the plan.
        </div>
      )}
      {starved.length > 0 && (
        <div className="notice notice-bad">
          <strong>Starved objectives:</strong>
          <ul>
            {starved.map((r) => (
              <li key={r.objective.id}>
                {r.objective.title} — {starvedText(r)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
