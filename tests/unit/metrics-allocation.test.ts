import { describe, expect, test } from 'vitest';
import { allocation, plannedObjectives, thresholdsFor } from '../../lib/server/metrics';
import {
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
  WEEK_WINDOW,
} from './metrics-support';

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
