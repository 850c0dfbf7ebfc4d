import { describe, expect, test } from 'vitest';
import {
  allocation,
  coverage,
  coverageDrift,
  coverageSeries,
  defaultThresholds,
  effortOf,
  indexMetricData,
  isActive,
  isObjectiveCurrent,
  keyResultProgress,
  type MetricItem,
  type MetricLink,
  type MetricObjective,
  objectiveProgress,
  plannedObjectives,
  staleGoals,
  staleLinks,
  staleReason,
  thresholdsFor,
  unlinkedIntake,
  unlinkedItems,
  verdictOf,
  weeklySeries,
} from '../../lib/server/metrics';
import type { Thresholds } from '../../lib/shared/contract';

// Written out by hand rather than imported, so a wrong constant in lib/ would show.
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 15); // 2026-11-15, inside Q4
const Q4 = { periodStart: Date.UTC(2026, 9, 1), periodEnd: Date.UTC(2027, 0, 1) };
const Q3 = { periodStart: Date.UTC(2026, 6, 1), periodEnd: Date.UTC(2026, 9, 1) };
const Q1 = { periodStart: Date.UTC(2027, 0, 1), periodEnd: Date.UTC(2027, 3, 1) };
const WEEK_WINDOW = { from: NOW - 7 * DAY, to: NOW };

function objective(id: string, over: Partial<MetricObjective> = {}): MetricObjective {
  return {
    id,
    parentId: null,
    priorityWeight: 1,
    status: 'active',
    ...Q4,
    closedAt: null,
    createdAt: Q4.periodStart,
    lastUpdateAt: null,
    updateCadenceDays: 14,
    ...over,
  };
}

function item(id: string, over: Partial<MetricItem> = {}): MetricItem {
  return { id, estimate: null, firstSeenAt: NOW - 30 * DAY, closedAt: null, ...over };
}

function link(itemId: string, objectiveId: string, over: Partial<MetricLink> = {}): MetricLink {
  return { itemId, objectiveId, weight: null, createdAt: NOW - 20 * DAY, endedAt: null, ...over };
}

function index(items: MetricItem[], links: MetricLink[], objectives: MetricObjective[]) {
  return indexMetricData({ items, links, objectives });
}

function byId(objectives: MetricObjective[]) {
  return new Map(objectives.map((o) => [o.id, o]));
}

// Objectives that do not count at NOW, one per reason.
const dropped = objective('dropped', { status: 'dropped', closedAt: NOW - 10 * DAY });
const achieved = objective('achieved', { status: 'achieved', closedAt: NOW - 10 * DAY });
const lastQuarter = objective('last-quarter', { ...Q3 });
const nextQuarter = objective('next-quarter', { ...Q1 });

describe('effort', () => {
  test('the estimate when known, else 1; an estimate of 0 is known', () => {
    expect(effortOf({ estimate: 5 })).toBe(5);
    expect(effortOf({ estimate: 0.5 })).toBe(0.5);
    expect(effortOf({ estimate: null })).toBe(1);
    expect(effortOf({ estimate: 0 })).toBe(0);
  });
});

describe('isActive', () => {
  test('open or closed during the window', () => {
    const w = WEEK_WINDOW;
    expect(isActive(item('open'), w)).toBe(true);
    expect(isActive(item('closed-inside', { closedAt: NOW - 3 * DAY }), w)).toBe(true);
    expect(isActive(item('closed-at-start', { closedAt: w.from }), w)).toBe(true);
    expect(isActive(item('closed-before', { closedAt: w.from - 1 }), w)).toBe(false);
    expect(isActive(item('closed-last-month', { closedAt: NOW - 20 * DAY }), w)).toBe(false);
    expect(isActive(item('seen-at-end', { firstSeenAt: w.to }), w)).toBe(false);
    expect(isActive(item('seen-inside', { firstSeenAt: NOW - DAY }), w)).toBe(true);
  });
});

describe('coverage', () => {
  test('no data: coverage is null, not 0', () => {
    expect(coverage(index([], [], []), WEEK_WINDOW)).toEqual({
      coverage: null,
      coveredEffort: 0,
      totalEffort: 0,
      activeItems: 0,
      coveredItems: 0,
    });
  });

  test('one objective: effort-weighted share of active items', () => {
    const g = objective('g');
    const data = index([item('a', { estimate: 3 }), item('b')], [link('a', 'g')], [g]);
    // covered a = 3; total a + b = 3 + 1 = 4; 3 / 4 = 0.75
    expect(coverage(data, WEEK_WINDOW)).toEqual({
      coverage: 0.75,
      coveredEffort: 3,
      totalEffort: 4,
      activeItems: 2,
      coveredItems: 1,
    });
  });

  test('an item linked to several objectives counts once', () => {
    const data = index(
      [item('a', { estimate: 2 }), item('b', { estimate: 2 })],
      [link('a', 'g1'), link('a', 'g2')],
      [objective('g1'), objective('g2')],
    );
    // covered 2 (a, once) of 2 + 2 = 4 → 0.5
    expect(coverage(data, WEEK_WINDOW)).toMatchObject({ coverage: 0.5, coveredEffort: 2, totalEffort: 4 });
  });

  test('estimate 0 adds nothing; only zero-effort work gives null coverage', () => {
    const g = objective('g');
    // linked a has effort 0, unlinked b effort 1 → 0 / 1 = 0
    expect(coverage(index([item('a', { estimate: 0 }), item('b')], [link('a', 'g')], [g]), WEEK_WINDOW)).toEqual({
      coverage: 0,
      coveredEffort: 0,
      totalEffort: 1,
      activeItems: 2,
      coveredItems: 1,
    });
    // only a: 0 / 0 → null, though one item is active
    expect(coverage(index([item('a', { estimate: 0 })], [link('a', 'g')], [g]), WEEK_WINDOW)).toMatchObject({
      coverage: null,
      activeItems: 1,
      coveredItems: 1,
    });
  });

  test('stale links (dropped, achieved, past period, future period) do not count', () => {
    const current = objective('current');
    const objectives = [current, dropped, achieved, lastQuarter, nextQuarter];
    const items = ['i1', 'i2', 'i3', 'i4', 'i5'].map((id) => item(id));
    const links = [
      link('i1', 'current'),
      link('i2', 'dropped'),
      link('i3', 'achieved'),
      link('i4', 'last-quarter'),
      link('i5', 'next-quarter'),
    ];
    // only i1 counts: 1 / 5 = 0.2
    expect(coverage(index(items, links, objectives), WEEK_WINDOW)).toMatchObject({
      coverage: 0.2,
      coveredItems: 1,
      activeItems: 5,
    });
  });

  test('closed items before the window are not active and do not dilute coverage', () => {
    const data = index(
      [item('a'), item('old', { estimate: 8, closedAt: NOW - 8 * DAY }), item('b', { closedAt: NOW - 2 * DAY })],
      [link('a', 'g')],
      [objective('g')],
    );
    // active: a, b (old closed before the window): 1 / 2
    expect(coverage(data, WEEK_WINDOW)).toMatchObject({ coverage: 0.5, activeItems: 2, totalEffort: 2 });
  });

  test('period boundary: links count as they stand at the window end (end exclusive)', () => {
    const endsInside = objective('ends-inside', { periodStart: Q3.periodStart, periodEnd: NOW - 2 * DAY });
    const endsAtEnd = objective('ends-at-end', { periodStart: Q3.periodStart, periodEnd: NOW });
    const endsJustAfter = objective('ends-after', { periodStart: Q3.periodStart, periodEnd: NOW + 1 });
    const data = (o: MetricObjective) => index([item('a'), item('b')], [link('a', o.id)], [o]);
    // window ends NOW: period already over (NOW - 2d, or exactly NOW) → 0 / 2
    expect(coverage(data(endsInside), WEEK_WINDOW).coverage).toBe(0);
    expect(coverage(data(endsAtEnd), WEEK_WINDOW).coverage).toBe(0);
    // period still running at NOW → 1 / 2
    expect(coverage(data(endsJustAfter), WEEK_WINDOW).coverage).toBe(0.5);
    // the week before, ending NOW - 7d, lies inside the period → 1 / 2
    expect(coverage(data(endsInside), { from: NOW - 14 * DAY, to: NOW - 7 * DAY }).coverage).toBe(0.5);
  });

  test('ended links count before they end, not after (history)', () => {
    const data = index(
      [item('a'), item('b')],
      [
        link('a', 'g', { createdAt: NOW - 20 * DAY, endedAt: NOW - 3 * DAY }),
        link('b', 'g', { createdAt: NOW - 2 * DAY }),
      ],
      [objective('g')],
    );
    // at NOW: a's link has ended, b's is live → 1 / 2
    expect(coverage(data, WEEK_WINDOW)).toMatchObject({ coverage: 0.5, coveredItems: 1 });
    // at NOW - 7d: a's link live, b's not yet made → 1 / 2, but it is a that counts
    const before = coverage(data, { from: NOW - 14 * DAY, to: NOW - 7 * DAY });
    expect(before).toMatchObject({ coverage: 0.5, coveredItems: 1 });
    // at NOW - 4d: a live, b not yet → still one; at NOW - 1d: a ended, b live
    const onlyA = index([item('a')], [link('a', 'g', { endedAt: NOW - 3 * DAY })], [objective('g')]);
    expect(coverage(onlyA, { from: NOW - 11 * DAY, to: NOW - 4 * DAY }).coverage).toBe(1);
    expect(coverage(onlyA, { from: NOW - 8 * DAY, to: NOW - DAY }).coverage).toBe(0);
    // ended exactly at the window end no longer counts
    expect(coverage(onlyA, { from: NOW - 10 * DAY, to: NOW - 3 * DAY }).coverage).toBe(0);
  });

  test('an objective closed later still counted while it was open', () => {
    const closedLater = objective('g', { status: 'achieved', closedAt: NOW - 3 * DAY });
    const data = index([item('a')], [link('a', 'g')], [closedLater]);
    expect(coverage(data, { from: NOW - 14 * DAY, to: NOW - 7 * DAY }).coverage).toBe(1);
    expect(coverage(data, WEEK_WINDOW).coverage).toBe(0);
  });
});

describe('staleness of links', () => {
  test('staleReason names why a link does not count', () => {
    expect(staleReason(objective('g'), NOW)).toBeNull();
    expect(staleReason(dropped, NOW)).toBe('objective_dropped');
    expect(staleReason(achieved, NOW)).toBe('objective_closed');
    expect(staleReason(objective('m', { status: 'missed', closedAt: NOW - DAY }), NOW)).toBe('objective_closed');
    expect(staleReason(lastQuarter, NOW)).toBe('past_period');
    expect(staleReason(nextQuarter, NOW)).toBe('future_period');
    // before it was dropped, the dropped objective counted
    expect(staleReason(dropped, NOW - 11 * DAY)).toBeNull();
  });

  test('isObjectiveCurrent: open and inside its period (start inclusive, end exclusive)', () => {
    const g = objective('g');
    expect(isObjectiveCurrent(g, Q4.periodStart)).toBe(true);
    expect(isObjectiveCurrent(g, Q4.periodEnd - 1)).toBe(true);
    expect(isObjectiveCurrent(g, Q4.periodEnd)).toBe(false);
    expect(isObjectiveCurrent(g, Q4.periodStart - 1)).toBe(false);
    // closed status without a closedAt is closed at every time
    expect(isObjectiveCurrent(objective('x', { status: 'dropped' }), NOW)).toBe(false);
  });

  test('staleLinks lists live links to objectives that no longer count, with the reason', () => {
    const objectives = byId([objective('current'), dropped, achieved, lastQuarter, nextQuarter]);
    const links = [
      link('i1', 'current', { id: 'l1' }),
      link('i2', 'dropped', { id: 'l2' }),
      link('i3', 'achieved', { id: 'l3' }),
      link('i4', 'last-quarter', { id: 'l4' }),
      link('i5', 'next-quarter', { id: 'l5' }),
      link('i6', 'dropped', { id: 'l6', endedAt: NOW - DAY }), // ended: not listed
      link('i7', 'missing', { id: 'l7' }), // objective unknown: not listed
    ];
    expect(staleLinks(links, objectives, NOW).map(({ link, reason }) => [link.id, reason])).toEqual([
      ['l2', 'objective_dropped'],
      ['l3', 'objective_closed'],
      ['l4', 'past_period'],
      ['l5', 'future_period'],
    ]);
  });
});

describe('allocation and fit', () => {
  test('no linked work: fit is null, every share 0', () => {
    const g = objective('g');
    const result = allocation(index([item('a')], [], [g]), [g], WEEK_WINDOW);
    expect(result.fit).toBeNull();
    expect(result.totalLinkedEffort).toBe(0);
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({ linkedEffort: 0, allocationShare: 0, priorityShare: 1, delta: -1 });
    // nothing planned either: null
    expect(allocation(index([], [], []), [], WEEK_WINDOW)).toEqual({ rows: [], totalLinkedEffort: 0, fit: null });
  });

  test('one objective with all the work: fit 1', () => {
    const g = objective('g', { priorityWeight: 4 });
    const result = allocation(index([item('a', { estimate: 3 })], [link('a', 'g')], [g]), [g], WEEK_WINDOW);
    // A = 3/3 = 1, P = 4/4 = 1 → fit = 1 − ½·0 = 1
    expect(result.fit).toBe(1);
    expect(result.rows[0]).toMatchObject({ linkedEffort: 3, allocationShare: 1, priorityShare: 1, delta: 0 });
  });

  test('an item linked to several objectives splits its effort evenly', () => {
    const g1 = objective('g1', { priorityWeight: 2 });
    const g2 = objective('g2', { priorityWeight: 1 });
    const data = index(
      [item('x', { estimate: 4 }), item('y', { estimate: 2 })],
      [link('x', 'g1'), link('x', 'g2'), link('y', 'g1')],
      [g1, g2],
    );
    const result = allocation(data, [g1, g2], WEEK_WINDOW);
    // x: 4 / 2 = 2 each; y: 2 to g1 → g1 = 4, g2 = 2, total 6 (x counted once)
    // A = 4/6, 2/6; P = 2/3, 1/3 → fit = 1
    expect(result.totalLinkedEffort).toBe(6);
    expect(result.rows.map((r) => r.linkedEffort)).toEqual([4, 2]);
    expect(result.rows[0]?.allocationShare).toBeCloseTo(2 / 3, 12);
    expect(result.rows[1]?.allocationShare).toBeCloseTo(1 / 3, 12);
    expect(result.fit).toBeCloseTo(1, 12);
  });

  test('an item linked to several objectives splits by contribution weight when given', () => {
    const g1 = objective('g1');
    const g2 = objective('g2');
    const weighted = index(
      [item('x', { estimate: 4 }), item('y', { estimate: 2 })],
      [link('x', 'g1', { weight: 3 }), link('x', 'g2', { weight: 1 }), link('y', 'g1', { weight: 5 })],
      [g1, g2],
    );
    // x: 4·3/4 = 3 to g1, 4·1/4 = 1 to g2; y: 2 all to g1 → g1 = 5, g2 = 1, total 6
    const result = allocation(weighted, [g1, g2], WEEK_WINDOW);
    expect(result.rows.map((r) => r.linkedEffort)).toEqual([5, 1]);
    // A = 5/6, 1/6; P = 1/2, 1/2 → ½(1/3 + 1/3) = 1/3 → fit = 2/3
    expect(result.fit).toBeCloseTo(2 / 3, 12);

    // a missing weight counts as 1 next to a given one: x: 4·3/(3+1) = 3, 4·1/4 = 1
    const mixed = index(
      [item('x', { estimate: 4 })],
      [link('x', 'g1', { weight: 3 }), link('x', 'g2', { weight: null })],
      [g1, g2],
    );
    expect(allocation(mixed, [g1, g2], WEEK_WINDOW).rows.map((r) => r.linkedEffort)).toEqual([3, 1]);
  });

  test('a stale link takes no share of the effort', () => {
    const g = objective('g');
    const data = index([item('x', { estimate: 2 })], [link('x', 'g'), link('x', 'dropped')], [g, dropped]);
    const result = allocation(data, [g], WEEK_WINDOW);
    // the dropped link does not count, so g gets all 2 rather than 1
    expect(result.rows[0]?.linkedEffort).toBe(2);
    expect(result.totalLinkedEffort).toBe(2);
  });

  test('fit = 1 − ½Σ|A−P| on two objectives', () => {
    const g1 = objective('g1');
    const g2 = objective('g2');
    const result = allocation(index([item('a')], [link('a', 'g1')], [g1, g2]), [g1, g2], WEEK_WINDOW);
    // A = 1, 0; P = ½, ½ → ½(½ + ½) = ½ → fit = ½
    expect(result.fit).toBe(0.5);
  });

  test('fit = 1 − ½Σ|A−P| on three objectives; top third under-allocated is starved', () => {
    const g1 = objective('g1', { priorityWeight: 3 });
    const g2 = objective('g2', { priorityWeight: 2 });
    const g3 = objective('g3', { priorityWeight: 1 });
    const data = index(
      [item('a', { estimate: 2 }), item('b', { estimate: 3 }), item('c', { estimate: 5 })],
      [link('a', 'g1'), link('b', 'g2'), link('c', 'g3')],
      [g1, g2, g3],
    );
    const result = allocation(data, [g1, g2, g3], WEEK_WINDOW);
    // A = 2/10, 3/10, 5/10; P = 3/6, 2/6, 1/6
    // |A−P| = 3/10, 1/30, 1/3 → sum 9/30 + 1/30 + 10/30 = 2/3 → fit = 1 − 1/3 = 2/3
    expect(result.fit).toBeCloseTo(2 / 3, 12);
    const [r1, r2, r3] = result.rows;
    expect(r1?.priorityShare).toBeCloseTo(0.5, 12);
    expect(r1?.delta).toBeCloseTo(-0.3, 12);
    expect(r2?.delta).toBeCloseTo(-1 / 30, 12);
    expect(r3?.delta).toBeCloseTo(1 / 3, 12);
    // top third of 3 = g1 only; g1 delta −30 points < −10 → starved
    expect(r1).toMatchObject({ starved: true, starvedReasons: ['under_allocated'] });
    expect(r2).toMatchObject({ starved: false, starvedReasons: [] });
    expect(r3).toMatchObject({ starved: false, starvedReasons: [] });
  });

  test('under-allocation flags only the top third, and only below −10 points', () => {
    const g1 = objective('g1', { priorityWeight: 3 });
    const g2 = objective('g2', { priorityWeight: 2 });
    const g3 = objective('g3', { priorityWeight: 1 });
    const run = (e1: number, e2: number, e3: number) =>
      allocation(
        index(
          [item('a', { estimate: e1 }), item('b', { estimate: e2 }), item('c', { estimate: e3 })],
          [link('a', 'g1'), link('b', 'g2'), link('c', 'g3')],
          [g1, g2, g3],
        ),
        [g1, g2, g3],
        WEEK_WINDOW,
      ).rows;
    // 5, 1, 4 of 10: g1 0.5 − 0.5 = 0; g2 0.1 − 1/3 ≈ −0.233 but g2 is not top third → none
    expect(run(5, 1, 4).map((r) => r.starved)).toEqual([false, false, false]);
    // 9, 7, 4 of 20: g1 0.45 − 0.5 = −0.05, not below −0.10 → not starved
    expect(run(9, 7, 4)[0]?.starved).toBe(false);
    // 7, 9, 4 of 20: g1 0.35 − 0.5 = −0.15 → starved
    expect(run(7, 9, 4)[0]?.starvedReasons).toEqual(['under_allocated']);
  });

  test('no linked active work for 14 days starves an objective', () => {
    const objectives = ['busy', 'idle', 'ended-long-ago', 'ended-recently', 'closed-10d', 'unlinked'].map((id) =>
      objective(id),
    );
    const data = index(
      [
        item('open'),
        item('closed-20d-ago', { closedAt: NOW - 20 * DAY }),
        item('closed-10d-ago', { closedAt: NOW - 10 * DAY }),
      ],
      [
        link('open', 'busy'),
        link('closed-20d-ago', 'idle'),
        link('open', 'ended-long-ago', { endedAt: NOW - 15 * DAY }),
        link('open', 'ended-recently', { endedAt: NOW - 10 * DAY }),
        link('closed-10d-ago', 'closed-10d'),
      ],
      objectives,
    );
    const result = allocation(data, objectives, WEEK_WINDOW);
    const idle = Object.fromEntries(
      result.rows.map((r) => [r.objectiveId, r.starvedReasons.includes('no_recent_work')]),
    );
    expect(idle).toEqual({
      busy: false,
      idle: true, // its only item closed 20 days ago
      'ended-long-ago': true, // link ended 15 days ago
      'ended-recently': false, // link live until 10 days ago, inside the 14
      'closed-10d': false, // closed 10 days ago: outside this week, inside the 14 days
      unlinked: true,
    });
  });

  test('starvedIdleDays and starvedDeltaPoints come from the thresholds', () => {
    const g1 = objective('g1', { priorityWeight: 3 });
    const g2 = objective('g2', { priorityWeight: 1 });
    // a (effort 1) closed 5 days ago, b (effort 3) open: A = 1/4, 3/4; P = 3/4, 1/4
    const data = index(
      [item('a', { closedAt: NOW - 5 * DAY }), item('b', { estimate: 3 })],
      [link('a', 'g1'), link('b', 'g2')],
      [g1, g2],
    );
    // g1 is the top third (ceil(2/3) = 1) and 25 − 75 = −50 points
    expect(allocation(data, [g1, g2], WEEK_WINDOW).rows.map((r) => r.starvedReasons)).toEqual([
      ['under_allocated'],
      [],
    ]);
    // a lenient delta and a 3-day idle limit: g1 is only starved for want of recent work
    const strict = thresholdsFor({ starvedIdleDays: 3, starvedDeltaPoints: 0.6 });
    expect(allocation(data, [g1, g2], WEEK_WINDOW, strict).rows.map((r) => r.starvedReasons)).toEqual([
      ['no_recent_work'],
      [],
    ]);
  });
});

describe('plannedObjectives', () => {
  test('current objectives, leaves only: a parent with an open child is excluded', () => {
    const company = objective('company', { priorityWeight: 5 });
    const child = objective('child', { parentId: 'company' });
    const droppedChild = objective('dropped-child', { parentId: 'company', status: 'dropped', closedAt: NOW - DAY });
    const lonelyParent = objective('lonely-parent');
    const itsDroppedChild = objective('its-dropped-child', {
      parentId: 'lonely-parent',
      status: 'dropped',
      closedAt: NOW - DAY,
    });
    const pastChild = objective('past-child', { parentId: 'lonely-parent', ...Q3 });
    const all = [company, child, droppedChild, lonelyParent, itsDroppedChild, pastChild, lastQuarter, nextQuarter];
    expect(plannedObjectives(all, NOW).map((o) => o.id)).toEqual(['child', 'lonely-parent']);
    // before the child was dropped, lonely-parent had an open child and was not a leaf
    expect(plannedObjectives(all, NOW - 2 * DAY).map((o) => o.id)).toEqual([
      'child',
      'dropped-child',
      'its-dropped-child',
    ]);
  });
});

describe('weekly series', () => {
  const g1 = objective('g1');
  const g2 = objective('g2');
  const data = index([item('a'), item('b')], [link('a', 'g1', { createdAt: NOW - 10 * DAY })], [g1, g2]);

  test('weeklySeries: 7-day windows ending at now, oldest first, with fit and drift', () => {
    const series = weeklySeries(data, [g1, g2], NOW, 3);
    expect(series.map((w) => [w.weekStart, w.weekEnd])).toEqual([
      [NOW - 21 * DAY, NOW - 14 * DAY],
      [NOW - 14 * DAY, NOW - 7 * DAY],
      [NOW - 7 * DAY, NOW],
    ]);
    // the link exists from NOW − 10d: week 1 (ends −14d) 0/2, weeks 2 and 3 1/2
    expect(series.map((w) => w.coverage)).toEqual([0, 0.5, 0.5]);
    // week 1 has no linked effort → null; later A = (1, 0), P = (½, ½) → fit ½, drift ½
    expect(series.map((w) => w.fit)).toEqual([null, 0.5, 0.5]);
    expect(series.map((w) => w.allocationDrift)).toEqual([null, 0.5, 0.5]);
  });

  test('coverageSeries: the same windows, coverage only', () => {
    const series = coverageSeries(data, NOW, 2);
    expect(series).toEqual([
      {
        coverage: 0.5,
        coveredEffort: 1,
        totalEffort: 2,
        activeItems: 2,
        coveredItems: 1,
        weekStart: NOW - 14 * DAY,
        weekEnd: NOW - 7 * DAY,
      },
      {
        coverage: 0.5,
        coveredEffort: 1,
        totalEffort: 2,
        activeItems: 2,
        coveredItems: 1,
        weekStart: NOW - 7 * DAY,
        weekEnd: NOW,
      },
    ]);
    expect(coverageSeries(data, NOW, 4).map((w) => w.coverage)).toEqual([0, 0, 0.5, 0.5]);
  });
});

describe('coverageDrift', () => {
  const s = (...values: (number | null)[]) => values.map((coverage) => ({ coverage }));

  test('exactly 5 points under the trailing 4-week mean is flagged', () => {
    // mean(0.8 ×4) = 0.8; 0.75 is 0.05 under
    expect(coverageDrift(s(0.8, 0.8, 0.8, 0.8, 0.75))).toEqual({
      flagged: true,
      reasons: ['coverage 75 is 5 points under its 4-week mean of 80'],
    });
  });

  test('4 points under is not flagged; flat is not flagged', () => {
    expect(coverageDrift(s(0.8, 0.8, 0.8, 0.8, 0.76))).toEqual({ flagged: false, reasons: [] });
    expect(coverageDrift(s(0.6, 0.6, 0.6, 0.6, 0.6))).toEqual({ flagged: false, reasons: [] });
    expect(coverageDrift([])).toEqual({ flagged: false, reasons: [] });
  });

  test('the mean is over the trailing 4 weeks only', () => {
    // with the oldest 0 included the mean would be 0.64 and 0.75 above it; the last 4 give 0.8
    expect(coverageDrift(s(0, 0.8, 0.8, 0.8, 0.8, 0.75)).flagged).toBe(true);
  });

  test('falling three weeks in a row is flagged', () => {
    // mean(0.61, 0.6, 0.59) = 0.6; 0.58 is only 2 points under; but 0.61 > 0.6 > 0.59 > 0.58
    expect(coverageDrift(s(0.61, 0.6, 0.59, 0.58))).toEqual({
      flagged: true,
      reasons: ['coverage fell 3 weeks in a row'],
    });
    // two falls after a rise: not flagged (mean 0.6033, 0.59 is 1.3 points under)
    expect(coverageDrift(s(0.6, 0.61, 0.6, 0.59))).toEqual({ flagged: false, reasons: [] });
    // a tie breaks the run
    expect(coverageDrift(s(0.61, 0.6, 0.6, 0.59)).flagged).toBe(false);
  });

  test('both reasons together', () => {
    // mean(0.9, 0.8, 0.7) = 0.8; 0.6 is 20 points under; and it fell 3 weeks in a row
    expect(coverageDrift(s(0.9, 0.8, 0.7, 0.6))).toEqual({
      flagged: true,
      reasons: ['coverage 60 is 20 points under its 3-week mean of 80', 'coverage fell 3 weeks in a row'],
    });
  });

  test('nulls are ignored, not read as 0', () => {
    // trailing (null, null, 0.8, 0.8) → mean of 0.8, 0.8 = 0.8; 0.74 is 6 points under
    // (as zeros the mean would be 0.4 and nothing flagged)
    expect(coverageDrift(s(null, null, 0.8, 0.8, 0.74))).toEqual({
      flagged: true,
      reasons: ['coverage 74 is 6 points under its 2-week mean of 80'],
    });
    // a null latest week flags nothing
    expect(coverageDrift(s(0.9, 0.8, 0.7, 0.6, null))).toEqual({ flagged: false, reasons: [] });
    // a null inside the falling run breaks it; mean(0.63, 0.62) = 0.625, 0.61 is 1.5 points under
    expect(coverageDrift(s(0.63, null, 0.62, 0.61))).toEqual({ flagged: false, reasons: [] });
  });

  test('thresholds are configurable', () => {
    expect(coverageDrift(s(0.8, 0.8, 0.8, 0.8, 0.75), thresholdsFor({ coverageDropPoints: 0.1 })).flagged).toBe(false);
    // falling 2 weeks is enough when coverageFallingWeeks = 2: 0.62 > 0.61 > 0.6
    expect(coverageDrift(s(0.6, 0.62, 0.61, 0.6), thresholdsFor({ coverageFallingWeeks: 2 })).reasons).toEqual([
      'coverage fell 2 weeks in a row',
    ]);
  });
});

describe('unlinkedIntake', () => {
  const window = { from: NOW - 14 * DAY, to: NOW };
  const items = [
    item('linked-2d', { firstSeenAt: NOW - 10 * DAY }),
    item('linked-4d', { firstSeenAt: NOW - 10 * DAY }),
    item('never', { firstSeenAt: NOW - 10 * DAY }),
    item('linked-3d-exactly', { firstSeenAt: NOW - 10 * DAY }),
    item('grace-ends-now', { firstSeenAt: NOW - 3 * DAY }),
    item('too-new', { firstSeenAt: NOW - 2 * DAY }),
    item('before-window', { firstSeenAt: NOW - 20 * DAY }),
  ];
  const links = [
    link('linked-2d', 'g', { createdAt: NOW - 8 * DAY }),
    link('linked-4d', 'g', { createdAt: NOW - 6 * DAY }),
    link('linked-3d-exactly', 'g', { createdAt: NOW - 7 * DAY }),
  ];
  const data = index(items, links, [objective('g')]);

  test('share of new items with no link within 3 days of first being seen', () => {
    // new: linked-2d, linked-4d, never, linked-3d-exactly, grace-ends-now = 5
    // (too-new still in its grace, before-window is not new)
    // no link within 3 days: linked-4d, never, grace-ends-now = 3 → 3/5 = 0.6
    expect(unlinkedIntake(data, window)).toEqual({ share: 0.6, newItems: 5, unlinkedAfterGrace: 3 });
  });

  test('a longer grace changes who is new and who was linked in time', () => {
    // grace 7d: new = first seen in [NOW−14d, NOW−7d] = the four seen at NOW−10d
    // linked within 7 days: linked-2d, linked-4d, linked-3d-exactly → unlinked: never = 1/4
    expect(unlinkedIntake(data, window, thresholdsFor({ unlinkedGraceDays: 7 }))).toEqual({
      share: 0.25,
      newItems: 4,
      unlinkedAfterGrace: 1,
    });
  });

  test('no new items: share is null', () => {
    expect(unlinkedIntake(index([], [], []), window)).toEqual({ share: null, newItems: 0, unlinkedAfterGrace: 0 });
  });
});

describe('unlinkedItems', () => {
  test('active items without a counting link, most effort first, then most recently seen', () => {
    const items = [
      item('p', { estimate: 2, lastSeenAt: NOW - 5 * DAY }),
      item('q', { estimate: 5, lastSeenAt: NOW - 6 * DAY }),
      item('r', { estimate: 2, lastSeenAt: NOW - DAY }),
      item('s', { lastSeenAt: NOW }),
      item('t', { estimate: 8 }), // linked: excluded
      item('u', { estimate: 9, closedAt: NOW - 9 * DAY }), // not active: excluded
      item('v', { estimate: 3, lastSeenAt: NOW - 9 * DAY }), // linked to a dropped objective only: included
    ];
    const data = index(items, [link('t', 'g'), link('v', 'dropped')], [objective('g'), dropped]);
    // effort: q 5, v 3, r 2 (seen −1d), p 2 (seen −5d), s 1
    expect(unlinkedItems(data, WEEK_WINDOW).map((i) => i.id)).toEqual(['q', 'v', 'r', 'p', 's']);
  });
});

describe('staleGoals', () => {
  test('no status update within the cadence; never updated counts from createdAt', () => {
    const objectives = [
      objective('fresh', { lastUpdateAt: NOW - 10 * DAY }), // due NOW + 4d
      objective('overdue', { lastUpdateAt: NOW - 20 * DAY }), // due NOW − 6d
      objective('never-old', { createdAt: NOW - 40 * DAY, updateCadenceDays: 30 }), // due NOW − 10d
      objective('never-new', { createdAt: NOW - 5 * DAY }), // due NOW + 9d
      objective('weekly', { lastUpdateAt: NOW - 8 * DAY, updateCadenceDays: 7 }), // due NOW − 1d
      objective('due-now', { lastUpdateAt: NOW - 14 * DAY }), // due exactly NOW: not yet late
      objective('closed', { lastUpdateAt: NOW - 60 * DAY, status: 'dropped', closedAt: NOW - DAY }),
      objective('past', { ...Q3, lastUpdateAt: NOW - 60 * DAY }),
    ];
    expect(staleGoals(objectives, NOW).map(({ objective, dueSince }) => [objective.id, dueSince])).toEqual([
      ['never-old', NOW - 10 * DAY],
      ['overdue', NOW - 6 * DAY],
      ['weekly', NOW - DAY],
    ]);
  });
});

describe('verdictOf', () => {
  const objectives = byId([objective('g'), dropped, lastQuarter]);

  test('aligned, unaligned, stale', () => {
    expect(verdictOf([], objectives, NOW)).toBe('unaligned');
    expect(verdictOf([link('a', 'g')], objectives, NOW)).toBe('aligned');
    expect(verdictOf([link('a', 'dropped')], objectives, NOW)).toBe('stale');
    expect(verdictOf([link('a', 'last-quarter')], objectives, NOW)).toBe('stale');
    // one counting link is enough
    expect(verdictOf([link('a', 'dropped'), link('a', 'g')], objectives, NOW)).toBe('aligned');
    // ended or not yet made: no live link at all
    expect(verdictOf([link('a', 'g', { endedAt: NOW - DAY })], objectives, NOW)).toBe('unaligned');
    expect(verdictOf([link('a', 'g', { createdAt: NOW + DAY })], objectives, NOW)).toBe('unaligned');
    // an ended good link next to a live stale one: stale
    expect(verdictOf([link('a', 'g', { endedAt: NOW - DAY }), link('a', 'dropped')], objectives, NOW)).toBe('stale');
  });
});

describe('key result progress', () => {
  test('increasing target', () => {
    // (25 − 0) / (100 − 0) = 0.25
    expect(keyResultProgress({ startValue: 0, targetValue: 100, currentValue: 25 })).toBe(0.25);
    // (30 − 20) / (60 − 20) = 0.25
    expect(keyResultProgress({ startValue: 20, targetValue: 60, currentValue: 30 })).toBe(0.25);
  });

  test('decreasing target', () => {
    // (2 − 3) / (1 − 3) = 0.5; (1.5 − 3) / (1 − 3) = 0.75
    expect(keyResultProgress({ startValue: 3, targetValue: 1, currentValue: 2 })).toBe(0.5);
    expect(keyResultProgress({ startValue: 3, targetValue: 1, currentValue: 1.5 })).toBe(0.75);
  });

  test('clamped to 0..1', () => {
    expect(keyResultProgress({ startValue: 0, targetValue: 100, currentValue: 120 })).toBe(1);
    expect(keyResultProgress({ startValue: 0, targetValue: 100, currentValue: -10 })).toBe(0);
    // decreasing: past the target (1.25) → 1; worse than the start (−0.5) → 0
    expect(keyResultProgress({ startValue: 3, targetValue: 1, currentValue: 0.5 })).toBe(1);
    expect(keyResultProgress({ startValue: 3, targetValue: 1, currentValue: 4 })).toBe(0);
  });

  test('target equal to start: done when current is there, else 0', () => {
    expect(keyResultProgress({ startValue: 5, targetValue: 5, currentValue: 5 })).toBe(1);
    expect(keyResultProgress({ startValue: 5, targetValue: 5, currentValue: 4 })).toBe(0);
    expect(keyResultProgress({ startValue: 5, targetValue: 5, currentValue: 6 })).toBe(0);
  });

  test('objective progress is the mean of its key results, null without any', () => {
    expect(objectiveProgress([])).toBeNull();
    // (0.25 + 0.75) / 2 = 0.5
    expect(
      objectiveProgress([
        { startValue: 0, targetValue: 100, currentValue: 25 },
        { startValue: 3, targetValue: 1, currentValue: 1.5 },
      ]),
    ).toBe(0.5);
  });
});

describe('thresholds', () => {
  const metricsMd: Thresholds = {
    coverageDropPoints: 0.05,
    coverageFallingWeeks: 3,
    trailingWeeks: 4,
    allocationDriftWarn: 0.15,
    starvedDeltaPoints: 0.1,
    starvedIdleDays: 14,
    unlinkedGraceDays: 3,
  };

  test('defaults are the starting values of metrics.md', () => {
    expect(defaultThresholds).toEqual(metricsMd);
    expect(thresholdsFor(undefined)).toEqual(metricsMd);
    expect(thresholdsFor({})).toEqual(metricsMd);
  });

  test('overrides replace only the keys they give and leave the defaults alone', () => {
    expect(thresholdsFor({ trailingWeeks: 6, unlinkedGraceDays: 0 })).toEqual({
      ...metricsMd,
      trailingWeeks: 6,
      unlinkedGraceDays: 0,
    });
    expect(defaultThresholds).toEqual(metricsMd);
  });
});
