import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { storage } from 'wxt/utils/storage';
import type { BadgeMode } from '../../lib/extension/badge';
import { matchedIdentities } from '../../lib/extension/identities';
import { percent, percentOrNull, STALE_TEXT } from '../../lib/extension/labels';
import type { MyCoverage } from '../../lib/shared/contract';
import { apiKeys, apiQuery, useSend } from '../shared/background';
import { ProblemView, problemOf } from '../shared/ProblemView';
import { TicketTitle } from '../shared/parts';

/**
 * Six points: drawn as an SVG polyline rather than with the review page's chart library, which
 * would multiply the size of a popup that opens on every click. The label carries the numbers.
 */
function Sparkline({ trend, label }: { trend: MyCoverage['coverage']['trend']; label: string }) {
  const width = 120;
  const height = 36;
  const points = trend.flatMap((week, i) =>
    week.coverage === null
      ? []
      : [`${(i / Math.max(1, trend.length - 1)) * (width - 4) + 2},${height - 2 - week.coverage * (height - 4)}`],
  );
  const spoken = trend.map((w) => percentOrNull(w.coverage) ?? 'no work').join(', ');
  return (
    <svg className="sparkline" width={width} height={height} role="img" aria-label={`${label}: ${spoken}`}>
      <title>{`${label}: ${spoken}`}</title>
      <line x1="0" x2={width} y1={height - 2} y2={height - 2} stroke="currentColor" strokeOpacity="0.25" />
      <polyline points={points.join(' ')} fill="none" stroke="currentColor" strokeWidth="2" />
    </svg>
  );
}

/** The last figures the API gave, shown (and said to be old) while it cannot be reached. */
const lastSeenItem = storage.defineItem<{ at: number; mine: MyCoverage } | null>('local:last-my-coverage', {
  fallback: null,
});

function BadgeChoice() {
  const send = useSend();
  const queryClient = useQueryClient();
  const mode = useQuery({
    queryKey: ['badge-mode'],
    queryFn: async () => {
      const reply = await send({ type: 'badge:get' });
      return reply.ok ? (reply.data as BadgeMode) : 'coverage';
    },
  });
  const change = useMutation({
    mutationFn: (next: BadgeMode) => send({ type: 'badge:set', mode: next }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['badge-mode'] }),
  });
  return (
    <label>
      Badge shows{' '}
      <select
        value={mode.data ?? 'coverage'}
        onChange={(e) => change.mutate(e.target.value as BadgeMode)}
        aria-label="The toolbar badge shows"
      >
        <option value="coverage">my coverage</option>
        <option value="unlinked">my unlinked tickets</option>
      </select>
    </label>
  );
}

function Coverage({ mine }: { mine: MyCoverage }) {
  const send = useSend();
  const identities = matchedIdentities(mine.person.identities);
  const { coverage, team } = mine;
  if (identities.length === 0) {
    return (
      <div className="notice notice-warn">
        <p>
          Throughline does not know who you are on GitHub, Jira or Asana yet, so it cannot tell which tickets are yours.
          Open a ticket page while signed in there, or set your names in the options.
        </p>
        <button type="button" onClick={() => void send({ type: 'options:open' })}>
          Set my names
        </button>
      </div>
    );
  }
  return (
    <>
      <div className="coverage-row">
        <div>
          <div className="figure" data-testid="my-coverage">
            {coverage.coverage === null ? '–' : percent(coverage.coverage)}
          </div>
          <div className="figure-label">of my work serves a goal this week</div>
        </div>
        <div>
          <Sparkline trend={coverage.trend} label={`My coverage, last ${coverage.trend.length} weeks`} />
          <div className="figure-label">last {coverage.trend.length} weeks</div>
        </div>
      </div>
      <p className="muted" data-testid="team-coverage">
        {team
          ? `${team.scope.name}: ${team.coverage === null ? 'no active work' : percent(team.coverage)} this week`
          : 'You are in no team, so there is no team figure to compare with.'}
        {' · '}
        {coverage.activeItems} active ticket{coverage.activeItems === 1 ? '' : 's'} of mine
      </p>
      {coverage.activeItems === 0 && (
        <p className="notice">None of your tickets was active this week: nothing to cover yet.</p>
      )}

      {mine.unlinked.length > 0 && (
        <>
          <h2>
            Serving no goal ({mine.unlinkedCount}) <span className="muted">— open one to link it from the sidebar</span>
          </h2>
          <ul className="plain" aria-label="My tickets that serve no goal">
            {mine.unlinked.map((item) => (
              <li key={item.id}>
                <TicketTitle ticket={item} />
                <div className="ref">
                  {item.key} · {item.effort} point{item.effort === 1 ? '' : 's'}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}

      {mine.staleLinks.length > 0 && (
        <>
          <h2>Stale links ({mine.staleLinks.length})</h2>
          <ul className="plain" aria-label="My stale links">
            {mine.staleLinks.map((s) => (
              <li key={s.linkId}>
                <TicketTitle ticket={s} />
                <div className="muted">
                  Linked to “{s.objective.title}”, but {STALE_TEXT[s.reason]}.
                </div>
              </li>
            ))}
          </ul>
        </>
      )}

      {mine.objectives.length > 0 && (
        <>
          <h2>The goals my work serves</h2>
          <ul className="plain" aria-label="The goals my work serves">
            {mine.objectives.map((o) => (
              <li key={o.objective.id}>
                <div className="title-text">{o.objective.title}</div>
                <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
                  <div className="bar" style={{ flex: 1 }}>
                    <div style={{ width: percent(o.share) }} />
                  </div>
                  <span className="muted">{percent(o.share)} of my work</span>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}

      <p className="muted" style={{ fontSize: 12, marginTop: 12 }} data-testid="identities">
        My tickets are those assigned to{' '}
        {identities.map((i, n) => (
          <span key={i.host}>
            {n > 0 && ', '}
            {i.name} on {i.host}
          </span>
        ))}
        .{' '}
        <button type="button" onClick={() => void send({ type: 'options:open' })} style={{ padding: '0 6px' }}>
          Change
        </button>
      </p>
    </>
  );
}

export function Popup() {
  const send = useSend();
  const mine = useQuery({ ...apiQuery(send, 'myCoverage'), staleTime: 0 });
  const queryClient = useQueryClient();
  const problem = problemOf(mine.error);
  const offline = problem?.kind === 'unreachable';
  const lastSeen = useQuery({
    queryKey: ['last-my-coverage'],
    queryFn: () => lastSeenItem.getValue(),
    enabled: offline,
  });
  useEffect(() => {
    if (mine.data) void lastSeenItem.setValue({ at: Date.now(), mine: mine.data });
  }, [mine.data]);
  return (
    <main className="popup">
      <div className="popup-head">
        <h1>My goal coverage</h1>
        {mine.data && <span className="muted">{mine.data.person.name}</span>}
      </div>
      {mine.isPending && <p className="muted">Loading…</p>}
      {problem && (
        <ProblemView
          problem={problem}
          subject="your goal coverage"
          onRetry={() => void queryClient.invalidateQueries({ queryKey: apiKeys.of('myCoverage') })}
        />
      )}
      {mine.data && <Coverage mine={mine.data} />}
      {offline && !mine.data && lastSeen.data && (
        <>
          <p className="muted">As the goals API last said, at {new Date(lastSeen.data.at).toLocaleString()}:</p>
          <Coverage mine={lastSeen.data.mine} />
        </>
      )}
      <div className="popup-foot">
        <BadgeChoice />
        <a href="/review.html" target="_blank" rel="noreferrer">
          Alignment review
        </a>
        <a href="/goals.html" target="_blank" rel="noreferrer">
          Goals
        </a>
      </div>
    </main>
  );
}
