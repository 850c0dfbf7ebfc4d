import { describe, expect, test } from 'vitest';
import { enc, setupApi } from '../support/api';
import { CURRENT_PERIOD } from '../support/fixtures';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-11-21T12:00:00Z');
let clock = NOW;
const api = setupApi({ now: () => clock });
const at = (daysAgo: number) => {
  clock = new Date(NOW.getTime() - daysAgo * DAY);
};

describe('coverage and the review, computed from history', async () => {
  const ws = await api.workspace();
  const admin = ws.adminToken;
  const team = (await api.call('POST', '/v1/teams', { token: admin, body: { name: 'Payments' } })).body;
  const teammate = (
    await api.call('POST', '/v1/users', {
      token: admin,
      body: { name: 'Tess Teammate', teamId: team.id, identities: { githubLogin: 'Tess' } },
    })
  ).body;
  const period = (await api.call('POST', '/v1/periods', { token: admin, body: CURRENT_PERIOD })).body;
  at(50);
  const objective = (body: object) =>
    api.call('POST', '/v1/objectives', { token: admin, body: { periodId: period.id, ...body } });
  const company = (await objective({ title: 'Grow enterprise revenue', priorityWeight: 10 })).body;
  const a = (await objective({ title: 'Invoicing', priorityWeight: 3, teamId: team.id, parentId: company.id })).body;
  const b = (await objective({ title: 'Checkout latency', priorityWeight: 1, teamId: team.id, updateCadenceDays: 7 }))
    .body;
  await api.call('POST', `/v1/objectives/${b.id}/updates`, { token: admin, body: { status: 'on_track' } });

  const record = (ref: string, body: object) => api.call('PUT', `/v1/work-items/${enc(ref)}`, { token: admin, body });
  const link = (ref: string, objectiveId: string) =>
    api.call('POST', '/v1/links', { token: admin, body: { ref, objectiveId } });
  // i1: Tess's (login matched case-insensitively), 3 points, linked to A the day after it appeared.
  at(10);
  await record('github:github.com/acme/pay#1', { title: 'Invoice PDF', assignees: ['tess'], estimate: 3 });
  at(9);
  await link('github:github.com/acme/pay#1', a.id);
  // i2: Tess's on Jira? No: she has no Jira name, so it is nobody's. Unlinked, 1 point.
  at(3);
  await record('jira:acme.atlassian.net/PAY-2', { title: 'Refund flow', assignees: ['Tess Teammate'], estimate: 1 });
  // i3: Max's (member), no estimate (effort 1), linked to B.
  at(2);
  await record('asana:app.asana.com/1207000000000003', { title: 'Latency budget', assignees: ['Max Member'] });
  await link('asana:app.asana.com/1207000000000003', b.id);
  // i4: closed three weeks ago: not active this week.
  at(30);
  await record('github:github.com/acme/pay#4', { title: 'Old work', assignees: ['tess'], estimate: 8 });
  at(21);
  await record('github:github.com/acme/pay#4', { closed: true });
  clock = NOW;
  const teammateToken = teammate.token.token;

  test('personal coverage: Tess has one active item, linked', async () => {
    const res = await api.call('GET', '/v1/coverage?person=me', { token: teammateToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      scope: { kind: 'person', name: 'Tess Teammate' },
      coverage: 1,
      coveredEffort: 3,
      totalEffort: 3,
      activeItems: 1,
      window: { days: 7, to: NOW.toISOString() },
    });
    expect(res.body.trend).toHaveLength(6);
    // Four weeks ago only i4 was active (effort 8, unlinked).
    expect(res.body.trend[2]).toMatchObject({ coverage: 0, totalEffort: 8 });
    expect(res.body.trend[5].coverage).toBe(1);
  });

  test('everyone: 3 + 1 of 3 + 1 + 1 effort covered', async () => {
    const res = await api.call('GET', '/v1/coverage', { token: admin });
    expect(res.body).toMatchObject({ scope: { kind: 'workspace' }, coveredEffort: 4, totalEffort: 5, activeItems: 3 });
    expect(res.body.coverage).toBeCloseTo(0.8, 10);
  });

  test('a team: the items of its members', async () => {
    const res = await api.call('GET', `/v1/coverage?team=${team.id}&window=14d&weeks=2`, { token: admin });
    expect(res.body).toMatchObject({ scope: { kind: 'team', name: 'Payments' }, coverage: 1, totalEffort: 3 });
    expect(res.body.trend).toHaveLength(2);
  });

  test('the review: allocation against priority on leaf objectives, fit, unlinked work, stale goals', async () => {
    const res = await api.call('GET', '/v1/review', { token: admin });
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.period.name).toBe('2026-Q4');
    // The company objective is the parent of A: its work is A's, so it is not in the plan.
    expect(body.allocation.map((r: { objective: { title: string } }) => r.objective.title)).toEqual([
      'Invoicing',
      'Checkout latency',
    ]);
    // A: 3 of 4 linked effort, priority 3 of 4; B: 1 of 4, priority 1 of 4: exactly as planned.
    expect(body.allocation[0]).toMatchObject({ linkedEffort: 3, allocationShare: 0.75, priorityShare: 0.75, delta: 0 });
    expect(body.fit).toBe(1);
    expect(body.unlinked.map((i: { ref: string }) => i.ref)).toEqual(['jira:acme.atlassian.net/PAY-2']);
    expect(body.unlinked[0].effort).toBe(1);
    expect(body.unlinkedCount).toBe(1);
    // A was never updated (cadence 14 days, created 50 days ago); B was updated 50 days ago (cadence 7).
    expect(body.staleGoals.map((g: { objective: { title: string } }) => g.objective.title).sort()).toEqual([
      'Checkout latency',
      'Grow enterprise revenue',
      'Invoicing',
    ]);
    expect(body.drift.series).toHaveLength(8);
    expect(body.drift.series.at(-1)).toMatchObject({ coverage: 0.8, fit: 1, allocationDrift: 0 });
  });

  test('the review of one team counts that team’s objectives and people', async () => {
    const res = await api.call('GET', `/v1/review?team=${team.id}`, { token: admin });
    expect(res.body.scope).toMatchObject({ kind: 'team', id: team.id });
    expect(res.body.coverage).toMatchObject({ coverage: 1, totalEffort: 3 });
    // Max's linked item is not the team's: A gets 3 of 3 linked effort against a plan of 3/4.
    expect(res.body.allocation.map((r: { allocationShare: number }) => r.allocationShare)).toEqual([1, 0]);
    // fit = 1 − ½ (|1 − 0.75| + |0 − 0.25|) = 0.75
    expect(res.body.fit).toBe(0.75);
  });

  test('dropping an objective turns its links stale, and coverage falls', async () => {
    await api.call('PATCH', `/v1/objectives/${b.id}`, { token: admin, body: { status: 'dropped' } });
    const review = await api.call('GET', '/v1/review', { token: admin });
    expect(review.body.staleLinks).toEqual([
      expect.objectContaining({ ref: 'asana:app.asana.com/1207000000000003', reason: 'objective_dropped' }),
    ]);
    const coverage = await api.call('GET', '/v1/coverage', { token: admin });
    expect(coverage.body.coverage).toBeCloseTo(0.6, 10);
    await api.call('PATCH', `/v1/objectives/${b.id}`, { token: admin, body: { status: 'active' } });
  });

  test('decisions are recorded with owner and date, listed newest first, and shown in the review', async () => {
    const empty = await api.call('GET', `/v1/review/decisions?team=${team.id}`, { token: admin });
    expect(empty.body.decisions).toEqual([]);
    const made = await api.call('POST', '/v1/review/decisions', {
      token: admin,
      body: {
        kind: 'shift_effort',
        summary: 'Two engineers to checkout latency',
        teamId: team.id,
        ownerId: ws.memberId,
        dueOn: '2026-12-01',
        periodId: period.id,
      },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      kind: 'shift_effort',
      owner: { id: ws.memberId, name: 'Max Member' },
      team: { id: team.id },
      dueOn: '2026-12-01',
      createdBy: { id: ws.adminId },
    });
    const review = await api.call('GET', `/v1/review?team=${team.id}`, { token: admin });
    expect(review.body.decisions.map((d: { id: string }) => d.id)).toEqual([made.body.id]);
  });

  test('my coverage for the popup: mine against my team, my unlinked tickets, stale links, the goals my work serves', async () => {
    const before = await api.call('GET', '/v1/me/coverage', { token: teammateToken });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      person: { name: 'Tess Teammate', identities: { githubLogin: 'Tess', jiraName: null } },
      coverage: { scope: { kind: 'person' }, coverage: 1, totalEffort: 3 },
      team: { scope: { kind: 'team', name: 'Payments' }, coverage: 1 },
      unlinked: [],
      unlinkedCount: 0,
      staleLinks: [],
    });
    expect(before.body.coverage.trend).toHaveLength(6);

    // Her Jira name matched: the Jira ticket assigned to her is hers now, and it serves no goal.
    await api.call('PATCH', '/v1/me', { token: teammateToken, body: { jiraName: 'Tess Teammate' } });
    await api.call('PATCH', `/v1/objectives/${a.id}`, { token: admin, body: { status: 'dropped' } });
    const after = await api.call('GET', '/v1/me/coverage?unlinkedLimit=5', { token: teammateToken });
    await api.call('PATCH', `/v1/objectives/${a.id}`, { token: admin, body: { status: 'active' } });
    // Invoicing dropped: her 3 points linked to it no longer count; 0 of 4 covered.
    expect(after.body.coverage).toMatchObject({ coverage: 0, totalEffort: 4, activeItems: 2 });
    expect(after.body.unlinked.map((i: { ref: string; effort: number }) => [i.ref, i.effort])).toEqual([
      ['github:github.com/acme/pay#1', 3],
      ['jira:acme.atlassian.net/PAY-2', 1],
    ]);
    expect(after.body.unlinkedCount).toBe(2);
    expect(after.body.staleLinks).toEqual([
      expect.objectContaining({ ref: 'github:github.com/acme/pay#1', reason: 'objective_dropped' }),
    ]);
    expect(after.body.objectives).toEqual([]);

    const restored = await api.call('GET', '/v1/me/coverage', { token: teammateToken });
    // Invoicing gets her 3 points of 4: 75% of her work.
    expect(restored.body.objectives).toEqual([
      expect.objectContaining({ objective: expect.objectContaining({ title: 'Invoicing' }), effort: 3, share: 0.75 }),
    ]);
    expect(restored.body.coverage.coverage).toBe(0.75);
  });

  test('a held review keeps the figures it saw and its decisions, and one that decided nothing says so', async () => {
    const quiet = await api.call('POST', '/v1/reviews', { token: admin, body: { teamId: team.id } });
    expect(quiet.status).toBe(201);
    expect(quiet.body).toMatchObject({
      team: { id: team.id, name: 'Payments' },
      period: { name: '2026-Q4' },
      heldBy: { id: ws.adminId },
      decisions: [],
      // Tess's Jira name was matched above: the team's unlinked Jira ticket counts now. Max's work on
      // checkout latency is not the team's, so the team did none on it in 14 days.
      figures: { coverage: 0.75, fit: 0.75, starved: ['Checkout latency'], unlinkedItems: 1 },
    });
    clock = new Date(NOW.getTime() + DAY);
    const decided = await api.call('POST', '/v1/reviews', {
      token: admin,
      body: {
        notes: 'Latency is behind plan.',
        decisions: [
          {
            kind: 'shift_effort',
            summary: 'Two engineers to checkout latency',
            ownerId: ws.memberId,
            dueOn: '2026-12-01',
          },
          { kind: 'revise_goal', summary: 'Split the invoicing objective' },
        ],
      },
    });
    clock = NOW;
    expect(decided.status).toBe(201);
    expect(decided.body.team).toBeNull();
    expect(decided.body.figures).toMatchObject({ coverage: 0.8, fit: 1, unlinkedItems: 1 });
    expect(decided.body.decisions.map((d: { kind: string; reviewId: string }) => [d.kind, d.reviewId])).toEqual([
      ['shift_effort', decided.body.id],
      ['revise_goal', decided.body.id],
    ]);
    expect(decided.body.decisions[0]).toMatchObject({ owner: { name: 'Max Member' }, dueOn: '2026-12-01' });

    const all = await api.call('GET', '/v1/reviews', { token: admin });
    expect(all.body.reviews.map((r: { id: string }) => r.id)).toEqual([decided.body.id, quiet.body.id]);
    const teamOnly = await api.call('GET', `/v1/reviews?team=${team.id}`, { token: admin });
    expect(teamOnly.body.reviews.map((r: { id: string }) => r.id)).toEqual([quiet.body.id]);
  });
});
