/**
 * The ticket hierarchy: a link on a container (an epic, a parent, a milestone) makes every ticket
 * under it serve the objective, through any depth; the ticket says through what; "not for this
 * goal" makes an exception; every figure counts inherited links; what a page does not show of a
 * ticket's containers never ends them.
 */
import { describe, expect, test } from 'vitest';
import { enc, setupApi } from '../support/api';
import { seedBasics } from '../support/fixtures';

let clock = new Date('2026-11-21T12:00:00Z');
const api = setupApi({ now: () => clock });
const tick = (minutes = 1) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};

const STORY = 'jira:acme.atlassian.net/PAY-125';
const EPIC = 'jira:acme.atlassian.net/PAY-300';

async function setup() {
  const ws = await api.workspace();
  const { objective } = await seedBasics(api.call, ws);
  const token = ws.adminToken;
  const record = (ref: string, body: Record<string, unknown>) =>
    api.call('PUT', `/v1/work-items/${enc(ref)}`, { token, body });
  const context = async (ref: string) => (await api.call('GET', `/v1/work-items/${enc(ref)}/context`, { token })).body;
  const link = (ref: string, objectiveId = objective.id) =>
    api.call('POST', '/v1/links', { token, body: { ref, objectiveId } });
  return { ws, token, objective, record, context, link };
}

describe('a link on a container', () => {
  test('makes the ticket under it serve the goal, saying through what and who linked it', async () => {
    const { objective, record, context, link } = await setup();
    const recorded = await record(STORY, {
      title: 'Retry failed refunds',
      state: 'In Progress',
      assignees: ['Max Member'],
      containers: { parent: [{ ref: EPIC, title: 'Refund reliability' }] },
    });
    expect(recorded.status).toBe(201);
    expect((await context(STORY)).verdict).toBe('unaligned');

    tick();
    expect((await link(EPIC)).status).toBe(201);
    const served = await context(STORY);
    expect(served.verdict).toBe('aligned');
    expect(served.suggestions).toEqual([]);
    expect(served.links).toHaveLength(1);
    expect(served.links[0]).toMatchObject({
      objective: { id: objective.id },
      createdBy: { name: 'Ada Admin' },
      inheritedFrom: { ref: EPIC, slot: 'parent', title: 'Refund reliability' },
    });
    // The epic, so far only named by its child, is a container: no work of its own in the figures
    // until its own page (or the host) records it.
    const epic = await context(EPIC);
    expect(epic.item).toMatchObject({ kind: 'container', title: 'Refund reliability' });
    expect(epic.links[0].inheritedFrom).toBeNull();
    await record(EPIC, { title: 'Refund reliability', state: 'In Progress' });
    expect((await context(EPIC)).item.kind).toBe('ticket');
  });

  test('reaches through any depth, and a cycle in the host’s data ends where it comes back', async () => {
    const { record, context, link } = await setup();
    const initiative = 'jira:acme.atlassian.net/PAY-1';
    await record(STORY, { title: 'Story', containers: { parent: [{ ref: EPIC, title: 'Epic' }] } });
    await record(EPIC, { title: 'Epic', containers: { parent: [{ ref: initiative, title: 'Initiative' }] } });
    // PAY-1 under PAY-125: a loop no host should allow, read without end.
    await record(initiative, { title: 'Initiative', containers: { parent: [{ ref: STORY, title: 'Story' }] } });
    await link(initiative);
    const served = await context(STORY);
    expect(served.verdict).toBe('aligned');
    expect(served.links.map((l: { inheritedFrom: { ref: string } }) => l.inheritedFrom.ref)).toEqual([initiative]);
    // The initiative itself does not inherit its own link through the loop.
    expect((await context(initiative)).links.map((l: { inheritedFrom: unknown }) => l.inheritedFrom)).toEqual([null]);
  });

  test('a milestone, which is not a ticket, passes its link down and counts in no figure itself', async () => {
    const { ws, record, context, link } = await setup();
    const milestone = 'github:github.com/acme/payments/milestone/3';
    const issue = 'github:github.com/acme/payments#7';
    await record(issue, {
      title: 'Refund webhooks',
      state: 'open',
      assignees: ['maxm'],
      estimate: 5,
      containers: { milestone: [{ ref: milestone, title: 'v2.0' }], labels: [] },
    });
    const coverage = async () =>
      (await api.call('GET', '/v1/coverage?person=me', { token: ws.memberToken })).body as {
        activeItems: number;
        coveredItems: number;
      };
    tick();
    const before = await coverage();
    tick();
    expect((await link(milestone)).body.ref).toBe(milestone);
    tick();
    const after = await coverage();
    expect(after.activeItems).toBe(before.activeItems);
    expect(after.coveredItems).toBe(before.coveredItems + 1);
    const served = await context(issue);
    expect(served.links[0].inheritedFrom).toMatchObject({ ref: milestone, slot: 'milestone', title: 'v2.0' });
    expect((await context(milestone)).item.kind).toBe('container');
    const review = await api.call('GET', '/v1/review', { token: ws.adminToken });
    expect(review.body.unlinked.map((i: { ref: string }) => i.ref)).not.toContain(issue);
    expect(review.body.unlinked.map((i: { ref: string }) => i.ref)).not.toContain(milestone);
  });

  test('stops when its link ends, and the past weeks keep what was served', async () => {
    const { token, record, context, link } = await setup();
    await record(STORY, {
      title: 'Story',
      assignees: ['Max Member'],
      containers: { epic: [{ ref: EPIC, title: 'Refund reliability' }] },
    });
    const made = await link(EPIC);
    tick(60 * 24 * 8);
    const week = async () => {
      const coverage = await api.call('GET', '/v1/coverage?weeks=3', { token });
      return coverage.body.trend as { weekStart: string; coverage: number | null }[];
    };
    const trendBefore = await week();
    // Two tickets of effort 1: the story and the seed's unlinked one (the epic is only named).
    expect(trendBefore.map((w) => w.coverage)).toEqual([null, 1 / 2, 1 / 2]);
    // Ended at the same instant the weeks are read to: every week before it reads the same.
    await api.call('DELETE', `/v1/links/${made.body.id}`, { token });
    const trendAfter = await week();
    expect(trendAfter.slice(0, -1)).toEqual(trendBefore.slice(0, -1));
    // The story stopped serving it.
    expect(trendAfter.at(-1)?.coverage).toBe(0);
    expect((await context(STORY)).verdict).toBe('unaligned');
  });
});

describe('what a ticket’s own record says of its containers', () => {
  test('a slot the page did not show keeps them; a slot shown empty ends them', async () => {
    const { record, context, link } = await setup();
    await record(STORY, { title: 'Story', containers: { parent: [{ ref: EPIC, title: 'Epic' }] } });
    await link(EPIC);
    tick();
    await record(STORY, { title: 'Story, renamed', containers: { labels: [] } });
    expect((await context(STORY)).verdict).toBe('aligned');
    tick();
    await record(STORY, { containers: { parent: [] } });
    expect((await context(STORY)).verdict).toBe('unaligned');
  });

  test('refuses a ticket inside itself, a container on another host, and two parents, and records nothing', async () => {
    const { record, context } = await setup();
    const self = await record(STORY, { title: 'x', containers: { parent: [{ ref: STORY, title: null }] } });
    expect(self.status).toBe(422);
    expect(self.body.error.issues[0]).toEqual({
      path: 'body.containers.parent.0.ref',
      message: 'a ticket cannot contain itself',
    });
    const elsewhere = await record(STORY, {
      containers: { parent: [{ ref: 'jira:other.atlassian.net/PAY-300', title: null }] },
    });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error.issues[0].message).toBe(
      'jira:other.atlassian.net/PAY-300 is not on jira:acme.atlassian.net, where the ticket is',
    );
    const two = await record(STORY, {
      containers: {
        parent: [
          { ref: EPIC, title: null },
          { ref: 'jira:acme.atlassian.net/PAY-301', title: null },
        ],
      },
    });
    expect(two.status).toBe(400);
    expect(two.body.error.issues[0].path).toBe('body.containers.parent');
    const labelAsParent = await record(STORY, {
      containers: { parent: [{ ref: 'jira:acme.atlassian.net/PAY/label/refunds', title: null }] },
    });
    expect(labelAsParent.status).toBe(422);
    expect(labelAsParent.body.error.issues[0]).toEqual({
      path: 'body.containers.parent.0.ref',
      message: 'a parent is a ticket, not a label',
    });
    // A child's panel links its parent's address: it must be on the ticket's own host.
    const elsewhereUrl = await record(EPIC, { title: 'Epic', url: 'https://evil.example/PAY-300' });
    expect(elsewhereUrl.status).toBe(422);
    expect(elsewhereUrl.body.error.issues[0]).toEqual({
      path: 'body.url',
      message: 'must be an address on acme.atlassian.net, where the ticket is',
    });
    expect((await context(STORY)).item).toBeNull();
  });
});

describe('"not for this goal"', () => {
  test('stops the inherited goal on one ticket, is listed, and can be withdrawn', async () => {
    const { token, objective, record, context, link } = await setup();
    const sibling = 'jira:acme.atlassian.net/PAY-126';
    for (const ref of [STORY, sibling]) {
      await record(ref, { title: ref, containers: { parent: [{ ref: EPIC, title: 'Epic' }] } });
    }
    await link(EPIC);
    tick();
    const made = await api.call('POST', '/v1/link-exceptions', {
      token,
      body: { ref: STORY, objectiveId: objective.id },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      ref: STORY,
      title: STORY,
      objective: { id: objective.id },
      createdBy: { name: 'Ada Admin' },
    });
    const again = await api.call('POST', '/v1/link-exceptions', {
      token,
      body: { ref: STORY, objectiveId: objective.id },
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(made.body.id);

    const excepted = await context(STORY);
    expect(excepted.verdict).toBe('unaligned');
    expect(excepted.links).toEqual([]);
    expect(excepted.exceptions.map((e: { id: string }) => e.id)).toEqual([made.body.id]);
    expect((await context(sibling)).verdict).toBe('aligned');
    const listed = await api.call('GET', `/v1/link-exceptions?objectiveId=${objective.id}`, { token });
    expect(listed.body.exceptions.map((e: { ref: string }) => e.ref)).toEqual([STORY]);

    tick();
    expect((await api.call('DELETE', `/v1/link-exceptions/${made.body.id}`, { token })).body.endedAt).not.toBeNull();
    expect((await context(STORY)).verdict).toBe('aligned');
    expect((await api.call('GET', '/v1/link-exceptions', { token })).body.exceptions).toEqual([]);
  });

  test('is refused where the ticket links the goal itself, and on a container', async () => {
    const { token, objective, record, link } = await setup();
    await record(STORY, { title: 'Story' });
    await link(STORY);
    const own = await api.call('POST', '/v1/link-exceptions', {
      token,
      body: { ref: STORY, objectiveId: objective.id },
    });
    expect(own.status).toBe(409);
    expect(own.body.error.message).toBe('The ticket links this objective itself: unlink it instead');
    const notInherited = await api.call('POST', '/v1/link-exceptions', {
      token,
      body: { ref: 'jira:acme.atlassian.net/PAY-999', objectiveId: objective.id },
    });
    expect(notInherited.status).toBe(422);
    expect(notInherited.body.error.issues[0]).toEqual({
      path: 'body.objectiveId',
      message: 'the ticket does not inherit this objective from its containers',
    });
    expect(
      (await api.call('GET', `/v1/work-items/${enc('jira:acme.atlassian.net/PAY-999')}/context`, { token })).body.item,
    ).toBeNull();
    const container = await api.call('POST', '/v1/link-exceptions', {
      token,
      body: { ref: 'github:github.com/acme/payments/milestone/3', objectiveId: objective.id },
    });
    expect(container.status).toBe(422);
  });
});

test('a container outside the scope passes nothing down; tickets in scope under it count as unlinked', async () => {
  const { ws, record, context, link } = await setup();
  const outside = 'jira:acme.atlassian.net/OPS-9';
  await record(STORY, { title: 'Story', containers: { parent: [{ ref: outside, title: 'Ops epic' }] } });
  await link(outside);
  expect((await context(STORY)).verdict).toBe('aligned');
  await api.call('POST', '/v1/scope', {
    token: ws.adminToken,
    body: { source: 'jira', host: 'acme.atlassian.net', kind: 'project', value: 'PAY' },
  });
  tick();
  expect((await context(STORY)).verdict).toBe('unaligned');
  const review = await api.call('GET', '/v1/review', { token: ws.adminToken });
  expect(review.body.unlinked.map((i: { ref: string }) => i.ref)).toContain(STORY);
});

test('every figure counts inherited links as direct ones: the popup, allocation, fit and drift', async () => {
  const { ws, token, objective, record, link } = await setup();
  // Max Member's Jira story (5 points) under an epic linked to the objective; nothing else of Max's is linked.
  await api.call('PATCH', '/v1/me', { token: ws.memberToken, body: { identities: { jiraName: 'Max Member' } } });
  await record(STORY, {
    title: 'Retry failed refunds',
    state: 'In Progress',
    assignees: ['Max Member'],
    estimate: 5,
    containers: { epic: [{ ref: EPIC, title: 'Refund reliability' }] },
  });
  tick();
  const popupBefore = (await api.call('GET', '/v1/me/coverage', { token: ws.memberToken })).body;
  expect(popupBefore.unlinked.map((i: { ref: string }) => i.ref)).toContain(STORY);
  await link(EPIC);
  tick();

  const popup = (await api.call('GET', '/v1/me/coverage', { token: ws.memberToken })).body;
  expect(popup.unlinked.map((i: { ref: string }) => i.ref)).not.toContain(STORY);
  expect(popup.coverage.coveredEffort).toBe(popupBefore.coverage.coveredEffort + 5);
  expect(popup.objectives).toEqual([
    expect.objectContaining({ objective: expect.objectContaining({ id: objective.id }), effort: 5 }),
  ]);

  const review = (await api.call('GET', '/v1/review', { token })).body;
  const row = review.allocation.find((r: { objective: { id: string } }) => r.objective.id === objective.id);
  // The story's 5 points: the objective's only linked work (the epic is only named, no work of its own).
  expect(row.linkedEffort).toBe(5);
  expect(row.allocationShare).toBe(1);
  expect(review.fit).not.toBeNull();
  expect(review.drift.series.at(-1).coveredEffort).toBeGreaterThanOrEqual(5);
});

test('"not for this goal" on an epic keeps the goal from the tickets under it, in the panel and the figures', async () => {
  const { token, objective, record, context, link } = await setup();
  const label = 'jira:acme.atlassian.net/PAY/label/q4';
  await record(STORY, {
    title: 'Story',
    assignees: ['Max Member'],
    containers: { parent: [{ ref: EPIC, title: 'Epic' }] },
  });
  await record(EPIC, { title: 'Epic', containers: { labels: [{ ref: label, title: 'q4' }] } });
  await link(label);
  tick();
  expect((await context(STORY)).links[0].inheritedFrom.ref).toBe(label);
  await api.call('POST', '/v1/link-exceptions', { token, body: { ref: EPIC, objectiveId: objective.id } });
  tick();
  expect((await context(EPIC)).verdict).toBe('unaligned');
  expect((await context(STORY)).verdict).toBe('unaligned');
  const review = (await api.call('GET', '/v1/review', { token })).body;
  expect(review.unlinked.map((i: { ref: string }) => i.ref)).toEqual(expect.arrayContaining([STORY, EPIC]));
});

test('a container’s link to a closed goal is one stale link in the review, on the container, not one per ticket', async () => {
  const { ws, token, objective, record, link } = await setup();
  const milestone = 'github:github.com/acme/payments/milestone/9';
  for (const n of [1, 2, 3]) {
    await record(`github:github.com/acme/payments#${n}`, {
      title: `Issue ${n}`,
      containers: { milestone: [{ ref: milestone, title: 'v3' }] },
    });
  }
  const made = await link(milestone);
  tick();
  await api.call('POST', `/v1/objectives/${objective.id}/updates`, {
    token,
    body: { status: 'dropped', note: 'No more' },
  });
  tick();
  const review = (await api.call('GET', '/v1/review', { token: ws.adminToken })).body;
  expect(review.staleLinks.filter((s: { linkId: string }) => s.linkId === made.body.id)).toEqual([
    expect.objectContaining({ ref: milestone, title: 'v3', reason: 'objective_dropped' }),
  ]);
});
