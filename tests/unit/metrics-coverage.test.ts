import { describe, expect, test } from 'vitest';
import {
  coverage,
  coverageDrift,
  coverageSeries,
  effortOf,
  isActive,
  isObjectiveCurrent,
  type MetricObjective,
  staleLinks,
  staleReason,
  thresholdsFor,
  unlinkedIntake,
  weeklySeries,
} from '../../lib/server/metrics';
import {
  achieved,
  byId,
  DAY,
  dropped,
  index,
  item,
  lastQuarter,
  link,
  NOW,
  nextQuarter,
  objective,
  Q3,
  Q4,
  WEEK_WINDOW,
} from './metrics-support';

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
