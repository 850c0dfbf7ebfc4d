import { describe, expect, test } from 'vitest';
import {
  defaultThresholds,
  keyResultProgress,
  objectiveProgress,
  staleGoals,
  thresholdsFor,
  unlinkedItems,
  verdictOf,
} from '../../lib/server/metrics';
import type { Thresholds } from '../../lib/shared/contract';
import { byId, DAY, dropped, index, item, lastQuarter, link, NOW, objective, Q3, WEEK_WINDOW } from './metrics-support';

describe('unlinkedItems', () => {
  test('active items without a counting link, most effort first, then the longest waiting', () => {
    const items = [
      item('p', { estimate: 2, firstSeenAt: NOW - 20 * DAY, lastSeenAt: NOW - 5 * DAY }),
      item('q', { estimate: 5, lastSeenAt: NOW - 6 * DAY }),
      item('r', { estimate: 2, firstSeenAt: NOW - 10 * DAY, lastSeenAt: NOW - DAY }),
      item('s', { lastSeenAt: NOW }),
      item('t', { estimate: 8 }), // linked: excluded
      item('u', { estimate: 9, closedAt: NOW - 9 * DAY }), // not active: excluded
      item('v', { estimate: 3, lastSeenAt: NOW - 9 * DAY }), // linked to a dropped objective only: included
    ];
    const data = index(items, [link('t', 'g'), link('v', 'dropped')], [objective('g'), dropped]);
    // effort: q 5, v 3, p 2 (first seen −20d), r 2 (first seen −10d: a later view does not move it), s 1
    expect(unlinkedItems(data, WEEK_WINDOW).map((i) => i.id)).toEqual(['q', 'v', 'p', 'r', 's']);
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
