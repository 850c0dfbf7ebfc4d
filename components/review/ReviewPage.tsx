/**
 * The weekly alignment review of a team or the whole workspace: coverage and its trend, where the
 * work goes against where strategy says it should, what drifts, and the decision the review took.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { reviewMarkdown } from '../../lib/extension/review-markdown';
import { download } from '../pages/download';
import { apiQuery, useSend } from '../shared/background';
import { ProblemView } from '../shared/ProblemView';
import { NamedSelect } from '../shared/parts';
import { Attention } from './Attention';
import { AllocationChart, CoverageTrend } from './charts';
import { DriftWarnings, Figures } from './Figures';
import { NotForThisGoal } from './NotForThisGoal';
import { PastReviews } from './PastReviews';
import { RecordReview } from './RecordReview';

export function ReviewPage() {
  const send = useSend();
  const id = useId();
  const teams = useQuery(apiQuery(send, 'teams'));
  const periods = useQuery(apiQuery(send, 'periods'));
  const [teamId, setTeamId] = useState<string | null>(null);
  const [period, setPeriod] = useState<string>('current');
  const review = useQuery(apiQuery(send, 'review', { team: teamId ?? undefined, period }));
  const held = useQuery(apiQuery(send, 'heldReviews', { team: teamId ?? undefined }));
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
      <ProblemView problem={review.error ?? teams.error ?? periods.error} />
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
          <NotForThisGoal />
          <RecordReview key={`${teamId}:${data.period.id}`} review={data} teamId={teamId} />
        </>
      )}
      <ProblemView problem={held.error} />
      {held.data && <PastReviews reviews={held.data.reviews} />}
    </main>
  );
}
