/**
 * The weekly alignment review of a team or the whole workspace: coverage and its trend, where the
 * work goes against where strategy says it should, what drifts, and the decision the review took.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, useSyncExternalStore } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { HeldReview, Review } from '../lib/contract';
import { DECISION_KIND_TEXT, percent, percentOrNull, STALE_TEXT, signedPoints, starvedText } from '../lib/labels';
import { reviewMarkdown } from '../lib/review-markdown';
import { apiKeys, apiQuery, callApi, download } from './page-api';
import { choicesOf, HealthChip, NamedSelect, ProblemNotice, TicketTitle } from './page-parts';

type DecisionKind = keyof typeof DECISION_KIND_TEXT;
interface DecisionDraft {
  key: number;
  kind: DecisionKind;
  summary: string;
  ownerId: string;
  dueOn: string;
}

/**
 * Chart colours for the system's scheme. An orange/blue pair stays apart for the common colour
 * blindnesses; the plan is also drawn hollow, so the two series differ in shape, not only hue.
 */
const PALETTES = {
  light: { plan: '#bc4c00', work: '#0969da', grid: '#d1d9e0', text: '#59636e', surface: '#ffffff' },
  dark: { plan: '#f0883e', work: '#4493f8', grid: '#3d444d', text: '#9198a1', surface: '#151b23' },
};
const darkScheme = window.matchMedia('(prefers-color-scheme: dark)');
const followScheme = (onChange: () => void) => {
  darkScheme.addEventListener('change', onChange);
  return () => darkScheme.removeEventListener('change', onChange);
};
function usePalette() {
  const dark = useSyncExternalStore(followScheme, () => darkScheme.matches);
  return PALETTES[dark ? 'dark' : 'light'];
}

const shortDay = (iso: string) => new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function Figures({ review }: { review: Review }) {
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

function DriftWarnings({ review }: { review: Review }) {
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

function CoverageTrend({ review }: { review: Review }) {
  const palette = usePalette();
  const data = review.drift.series.map((w) => ({ week: shortDay(w.weekEnd), coverage: w.coverage, fit: w.fit }));
  return (
    <section aria-label="Coverage trend">
      <h2>Coverage and fit, week by week</h2>
      <div className="chart" style={{ height: 240 }}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" />
            <XAxis dataKey="week" stroke={palette.text} />
            <YAxis domain={[0, 1]} tickFormatter={percent} stroke={palette.text} />
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? percent(value) : 'n/a')}
              contentStyle={{ background: palette.surface, borderColor: palette.grid }}
            />
            <Legend />
            <Line
              type="monotone"
              dataKey="coverage"
              name="Coverage"
              stroke={palette.work}
              strokeWidth={2}
              connectNulls
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="fit"
              name="Fit"
              stroke={palette.plan}
              strokeWidth={2}
              strokeDasharray="6 3"
              connectNulls
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <table className="visually-hidden">
        <caption>Coverage and fit by week</caption>
        <thead>
          <tr>
            <th>Week ending</th>
            <th>Coverage</th>
            <th>Fit</th>
          </tr>
        </thead>
        <tbody>
          {data.map((w) => (
            <tr key={w.week}>
              <td>{w.week}</td>
              <td>{percentOrNull(w.coverage) ?? 'no active work'}</td>
              <td>{w.fit === null ? 'no linked work' : w.fit.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function AllocationChart({ review }: { review: Review }) {
  const palette = usePalette();
  const rows = review.allocation;
  if (rows.length === 0) return <p className="muted">No open objective in this period.</p>;
  const data = rows.map((r) => ({
    objective: truncate(r.objective.title, 38),
    priority: r.priorityShare,
    allocation: r.allocationShare,
  }));
  return (
    <section aria-label="Allocation against priority">
      <h2>Who gets the work, against what strategy says</h2>
      <p className="muted">
        For each open objective: its share of priority (the plan, hollow) and its share of the linked work this week
        (solid). A solid bar shorter than its hollow one means less work than strategy asks for.
      </p>
      <div className="chart" style={{ height: Math.max(220, rows.length * 46 + 60) }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }} barGap={2}>
            <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" domain={[0, 'auto']} tickFormatter={percent} stroke={palette.text} />
            <YAxis type="category" dataKey="objective" width={260} stroke={palette.text} tick={{ fontSize: 12 }} />
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? percent(value) : String(value))}
              contentStyle={{ background: palette.surface, borderColor: palette.grid }}
            />
            <Legend />
            <Bar
              dataKey="priority"
              name="Priority share (plan)"
              fill={palette.plan}
              fillOpacity={0.18}
              stroke={palette.plan}
              strokeWidth={1.5}
              isAnimationActive={false}
            />
            <Bar dataKey="allocation" name="Share of linked work" fill={palette.work} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table aria-label="Allocation against priority, by objective">
        <thead>
          <tr>
            <th>Objective</th>
            <th>Status</th>
            <th className="number">Priority share</th>
            <th className="number">Share of work</th>
            <th className="number">Difference</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.objective.id}>
              <td className="title-text">
                {r.objective.title} {r.starved && <span className="chip chip-bad">Starved</span>}
              </td>
              <td>
                <HealthChip objective={r.objective} />
              </td>
              <td className="number">{percent(r.priorityShare)}</td>
              <td className="number">{percent(r.allocationShare)}</td>
              <td className="number">{signedPoints(r.delta)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Attention({ review }: { review: Review }) {
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

function RecordReview({ review, teamId }: { review: Review; teamId: string | null }) {
  const id = useId();
  const users = useQuery(apiQuery('users'));
  const queryClient = useQueryClient();
  const [notes, setNotes] = useState('');
  const [drafts, setDrafts] = useState<DecisionDraft[]>([]);
  const [nextKey, setNextKey] = useState(1);
  const record = useMutation({
    mutationFn: () =>
      callApi('holdReview', {
        teamId,
        periodId: review.period.id,
        notes,
        decisions: drafts.map((d) => ({
          kind: d.kind,
          summary: d.summary,
          ownerId: d.ownerId || null,
          dueOn: d.dueOn || null,
        })),
      }),
    onSuccess: () => {
      setNotes('');
      setDrafts([]);
      void queryClient.invalidateQueries({ queryKey: apiKeys.of('heldReviews') });
      void queryClient.invalidateQueries({ queryKey: apiKeys.of('review') });
    },
  });
  const update = (key: number, patch: Partial<DecisionDraft>) =>
    setDrafts(drafts.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  const add = () => {
    setDrafts([...drafts, { key: nextKey, kind: 'shift_effort', summary: '', ownerId: '', dueOn: '' }]);
    setNextKey(nextKey + 1);
  };
  return (
    <section aria-label="Record this review" className="card">
      <h2 style={{ marginTop: 0 }}>Record this review</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          record.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-notes`}>Notes</label>
          <textarea
            id={`${id}-notes`}
            rows={2}
            maxLength={10_000}
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
          />
        </div>
        <h3>Decisions</h3>
        {drafts.length === 0 && (
          <p className="muted">No decision yet. A review that decides nothing is recorded too.</p>
        )}
        {drafts.map((d, n) => (
          <fieldset key={d.key} className="decision-row" style={{ border: 0, padding: 0, margin: '0 0 8px' }}>
            <legend className="muted" style={{ gridColumn: '1 / -1', padding: 0 }}>
              Decision {n + 1}
            </legend>
            <NamedSelect
              id={`${id}-${d.key}-kind`}
              label="Kind"
              value={d.kind}
              onChange={(value) => update(d.key, { kind: value as DecisionKind })}
              choices={choicesOf(DECISION_KIND_TEXT)}
            />
            <div className="field">
              <label htmlFor={`${id}-${d.key}-summary`}>What was decided</label>
              <input
                id={`${id}-${d.key}-summary`}
                required
                maxLength={5000}
                value={d.summary}
                onChange={(e) => update(d.key, { summary: e.target.value })}
              />
            </div>
            <NamedSelect
              id={`${id}-${d.key}-owner`}
              label="Owner"
              value={d.ownerId}
              onChange={(value) => update(d.key, { ownerId: value })}
              choices={users.data?.users}
              empty={{ label: 'Nobody yet' }}
            />
            <div className="field">
              <label htmlFor={`${id}-${d.key}-due`}>Due</label>
              <input
                id={`${id}-${d.key}-due`}
                type="date"
                value={d.dueOn}
                onChange={(e) => update(d.key, { dueOn: e.target.value })}
              />
            </div>
            <button
              type="button"
              onClick={() => setDrafts(drafts.filter((x) => x.key !== d.key))}
              aria-label={`Remove decision ${n + 1}`}
            >
              Remove
            </button>
          </fieldset>
        ))}
        <ProblemNotice error={record.error} />
        <div className="actions">
          <button type="button" onClick={add}>
            Add a decision
          </button>
          <button type="submit" className="primary" disabled={record.isPending}>
            {drafts.length === 0
              ? 'Record review: no decision'
              : `Record review with ${drafts.length} decision${drafts.length === 1 ? '' : 's'}`}
          </button>
        </div>
        {record.isSuccess && (
          <p className="notice notice-good" role="status">
            Review recorded.
          </p>
        )}
      </form>
    </section>
  );
}

function PastReviews({ reviews }: { reviews: HeldReview[] }) {
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

export function ReviewPage() {
  const id = useId();
  const teams = useQuery(apiQuery('teams'));
  const periods = useQuery(apiQuery('periods'));
  const [teamId, setTeamId] = useState<string | null>(null);
  const [period, setPeriod] = useState<string>('current');
  const review = useQuery(apiQuery('review', { team: teamId ?? undefined, period }));
  const held = useQuery(apiQuery('heldReviews', { team: teamId ?? undefined }));
  const data = review.data;
  return (
    <main className="page">
      <header className="page-header">
        <h1>Alignment review</h1>
        <NamedSelect
          id={`${id}-team`}
          label="Team"
          value={teamId ?? ''}
          onChange={(value) => setTeamId(value || null)}
          choices={teams.data?.teams}
          empty={{ label: 'Whole workspace' }}
        />
        <NamedSelect
          id={`${id}-period`}
          label="Period"
          value={period}
          onChange={setPeriod}
          choices={periods.data?.periods}
          empty={{ value: 'current', label: 'Current' }}
        />
        <button
          type="button"
          disabled={!data}
          onClick={() =>
            data &&
            download(
              `alignment-review-${data.scope.name.replace(/\W+/g, '-').toLowerCase()}-${data.generatedAt.slice(0, 10)}.md`,
              reviewMarkdown(data),
              'text/markdown',
            )
          }
        >
          Export as Markdown
        </button>
        <a href="/goals.html">Goals</a>
      </header>
      <ProblemNotice error={review.error ?? teams.error ?? periods.error} />
      {review.isPending && <p className="muted">Loading the review…</p>}
      {data && (
        <>
          <p className="muted">
            {data.scope.name}, {data.period.name} ({data.period.startsOn} to {data.period.endsOn}), data as of{' '}
            {new Date(data.generatedAt).toLocaleString()}.
          </p>
          <Figures review={data} />
          <DriftWarnings review={data} />
          <CoverageTrend review={data} />
          <AllocationChart review={data} />
          <Attention review={data} />
          <RecordReview key={`${teamId}:${data.period.id}`} review={data} teamId={teamId} />
        </>
      )}
      <ProblemNotice error={held.error} />
      {held.data && <PastReviews reviews={held.data.reviews} />}
    </main>
  );
}
