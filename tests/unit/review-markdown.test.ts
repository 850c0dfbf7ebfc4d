import { describe, expect, test } from 'vitest';
import { markdownText, reviewMarkdown } from '../../lib/extension/review-markdown';
import type { Review } from '../../lib/shared/contract';

const period = {
  id: '00000000-0000-4000-8000-000000000001',
  name: '2026-Q4',
  startsOn: '2026-10-01',
  endsOn: '2026-12-31',
};
const objective = (title: string) => ({
  id: '00000000-0000-4000-8000-000000000002',
  title,
  period,
  owner: null,
  team: null,
  priorityWeight: 3,
  status: 'active' as const,
  health: null,
  progress: null,
});
const week = (weekEnd: string, coverage: number | null) => ({
  coverage,
  coveredEffort: 0,
  totalEffort: 0,
  activeItems: 0,
  coveredItems: 0,
  weekStart: weekEnd,
  weekEnd,
  fit: 0.9,
  allocationDrift: 0.05,
});

function review(overrides: Partial<Review> = {}): Review {
  return {
    scope: { kind: 'team', id: null, name: 'Payments' },
    period,
    generatedAt: '2026-11-21T12:00:00.000Z',
    coverage: { coverage: 0.75, coveredEffort: 3, totalEffort: 4, activeItems: 2, coveredItems: 1 },
    fit: 0.8,
    allocation: [
      {
        objective: objective('Cut latency | p95 <img src=x onerror=alert(1)>'),
        linkedEffort: 1,
        allocationShare: 0.25,
        priorityShare: 0.75,
        delta: -0.5,
        starved: true,
        starvedReasons: ['under_allocated'],
      },
    ],
    drift: {
      series: [week('2026-11-14T12:00:00.000Z', 0.8), week('2026-11-21T12:00:00.000Z', null)],
      coverageDrift: { flagged: true, reasons: ['5 points under the trailing mean'] },
      allocationDrift: { latest: 0.2, flagged: true },
      unlinkedIntake: { share: 0.5, newItems: 4, unlinkedAfterGrace: 2 },
    },
    unlinked: [],
    unlinkedCount: 0,
    unlinkedNextCursor: null,
    staleLinks: [],
    staleGoals: [],
    decisions: [],
    decisionsNextCursor: null,
    ...overrides,
  };
}

describe('the review as Markdown', () => {
  test('figures, the allocation table with the starved objective, drift, and no decision said so', () => {
    const md = reviewMarkdown(review());
    expect(md).toContain('# Alignment review: Payments, 2026-Q4');
    expect(md).toContain('75% of this week’s active effort serves a goal of the current period (3 of 4 points');
    expect(md).toContain('| 2026-11-21 | n/a | 0.90 | 0.05 |');
    expect(md).toContain('| 75% | 25% | −50 pts | **starved** |');
    expect(md).toContain('- **Coverage drift**: 5 points under the trailing mean');
    expect(md).toContain('- Allocation drift: 0.20 — **above the warning threshold**.');
    expect(md).toContain('- Unlinked intake: 50% of 4 new tickets got no link in time.');
    expect(md).toContain('## Decisions\n\nNo decision recorded.');
    expect(md).toContain('None: every active ticket serves a goal.');
  });

  test('page text is escaped: markup and table pipes read as written', () => {
    expect(markdownText('a | b <img src=x>\n*c*')).toBe('a \\| b \\<img src=x\\> \\*c\\*');
    expect(markdownText('- not a list item')).toBe('\\- not a list item');
    expect(markdownText('1. not a step')).toBe('1\\. not a step');
    expect(markdownText('&lt;b&gt; stays')).toBe('&amp;lt;b&amp;gt; stays');
    expect(markdownText('see https://evil.example')).toBe('see https\\://evil.example');
    const md = reviewMarkdown(review());
    expect(md).toContain('Cut latency \\| p95 \\<img src=x onerror=alert\\(1\\)\\>');
    expect(md).not.toMatch(/(^|[^\\])<img/);
  });

  test('decisions with owner and due date', () => {
    const md = reviewMarkdown(review(), [
      {
        id: '00000000-0000-4000-8000-000000000003',
        kind: 'shift_effort',
        summary: 'Two engineers to latency',
        team: null,
        periodId: null,
        reviewId: null,
        owner: { id: '00000000-0000-4000-8000-000000000004', name: 'Priya' },
        dueOn: '2026-12-01',
        createdBy: null,
        createdAt: '2026-11-21T12:00:00.000Z',
      },
    ]);
    expect(md).toContain(
      '- **Shift effort**: Two engineers to latency — owner Priya, due 2026-12-01 (recorded 2026-11-21)',
    );
  });
});
