import { describe, expect, test } from 'vitest';
import { enc, setupApi } from '../support/api';
import { PAST_PERIOD, seedBasics } from '../support/fixtures';

let clock = new Date('2026-11-21T12:00:00Z');
const api = setupApi({ now: () => clock });
const tick = (ms = 1000) => {
  clock = new Date(clock.getTime() + ms);
};

describe('recording work items', () => {
  test('first record creates (201), later records update (200) and keep what is left out', async () => {
    const ws = await api.workspace();
    const ref = 'jira:acme.atlassian.net/PAY-318';
    const token = ws.memberToken;
    const first = await api.call('PUT', `/v1/work-items/${enc(ref)}`, {
      token,
      body: {
        url: 'https://acme.atlassian.net/browse/PAY-318',
        title: 'Invoice PDF rendering',
        state: 'In Progress',
        assignees: ['Max Member'],
        estimate: 5,
      },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ source: 'jira', host: 'acme.atlassian.net', key: 'PAY-318', project: 'PAY' });
    tick(60_000);
    const second = await api.call('PUT', `/v1/work-items/${enc(ref)}`, {
      token,
      body: { state: 'Done', closed: true },
    });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({
      title: 'Invoice PDF rendering',
      estimate: 5,
      state: 'Done',
      closedAt: clock.toISOString(),
      lastSeenAt: clock.toISOString(),
      firstSeenAt: first.body.firstSeenAt,
    });
    tick(60_000);
    const reopened = await api.call('PUT', `/v1/work-items/${enc(ref)}`, {
      token,
      body: { state: 'Reopened', closed: false },
    });
    expect(reopened.body.closedAt).toBeNull();
  });

  test('hostile titles are stored and returned exactly as sent', async () => {
    const ws = await api.workspace();
    const titles = [
      '<img src=x onerror=alert(1)>',
      '"; drop table links; --',
      'مرحبا بالعالم \u202Eevil',
      '🚀 ship it 👩‍💻',
      'x'.repeat(1000),
    ];
    for (const [i, title] of titles.entries()) {
      const ref = `asana:app.asana.com/12070000000000${10 + i}`;
      const res = await api.call('PUT', `/v1/work-items/${enc(ref)}`, { token: ws.memberToken, body: { title } });
      expect(res.status).toBe(201);
      const ctx = await api.call('GET', `/v1/work-items/${enc(ref)}/context`, { token: ws.memberToken });
      expect(ctx.body.item.title).toBe(title);
    }
  });
});

describe('context', () => {
  test('unknown ticket: no item, unaligned, open objectives suggested', async () => {
    const ws = await api.workspace();
    const { objective } = await seedBasics(api.call, ws);
    const ref = 'github:github.com/acme/payments#7';
    const ctx = await api.call('GET', `/v1/work-items/${enc(ref)}/context`, { token: ws.memberToken });
    expect(ctx.status).toBe(200);
    expect(ctx.body).toMatchObject({ ref, item: null, links: [], verdict: 'unaligned' });
    expect(ctx.body.suggestions[0].objective.id).toBe(objective.id);
  });

  test('suggestions rank by shared words and by where the project’s tickets are linked', async () => {
    const ws = await api.workspace();
    const { objective: checkout, period } = await seedBasics(api.call, ws);
    const token = ws.memberToken;
    const invoicing = (
      await api.call('POST', '/v1/objectives', {
        token,
        body: { title: 'Launch invoicing for enterprise accounts', periodId: period.id, priorityWeight: 1 },
      })
    ).body;
    const put = (ref: string, title: string) =>
      api.call('PUT', `/v1/work-items/${enc(ref)}`, { token, body: { title } });
    await put('jira:acme.atlassian.net/PAY-1', 'Invoice PDF for enterprise accounts');
    let ctx = await api.call('GET', `/v1/work-items/${enc('jira:acme.atlassian.net/PAY-1')}/context`, { token });
    expect(ctx.body.suggestions.map((s: { objective: { id: string } }) => s.objective.id)).toEqual([
      invoicing.id,
      checkout.id,
    ]);
    expect(ctx.body.suggestions[0].reasons[0]).toMatch(/shares the words/);

    // A ticket whose title matches nothing follows its project's other links.
    await api.call('POST', '/v1/links', {
      token,
      body: { ref: 'jira:acme.atlassian.net/PAY-2', objectiveId: checkout.id },
    });
    await put('jira:acme.atlassian.net/PAY-3', 'Quarterly chores');
    ctx = await api.call('GET', `/v1/work-items/${enc('jira:acme.atlassian.net/PAY-3')}/context`, { token });
    expect(ctx.body.suggestions[0].objective.id).toBe(checkout.id);
    expect(ctx.body.suggestions[0].reasons).toContain('1 of 1 linked tickets of PAY serve it');
  });

  test('aligned with a live link; stale when the objective closes; never suggests what is linked', async () => {
    const ws = await api.workspace();
    const { objective, ref } = await seedBasics(api.call, ws);
    const token = ws.memberToken;
    const kr = objective.keyResults[0];
    await api.call('POST', '/v1/links', { token, body: { ref, objectiveId: objective.id, keyResultId: kr.id } });
    let ctx = await api.call('GET', `/v1/work-items/${enc(ref)}/context`, { token });
    expect(ctx.body.verdict).toBe('aligned');
    expect(ctx.body.links).toHaveLength(1);
    expect(ctx.body.links[0]).toMatchObject({ objective: { id: objective.id }, keyResult: { id: kr.id }, stale: null });
    expect(ctx.body.suggestions).toEqual([]);

    await api.call('PATCH', `/v1/objectives/${objective.id}`, { token, body: { status: 'dropped' } });
    ctx = await api.call('GET', `/v1/work-items/${enc(ref)}/context`, { token });
    expect(ctx.body.verdict).toBe('stale');
    expect(ctx.body.links[0].stale).toBe('objective_dropped');
    expect(ctx.body.suggestions.every((s: { objective: { id: string } }) => s.objective.id !== objective.id)).toBe(
      true,
    );
  });

  test('a link to an objective of a past period is stale', async () => {
    const ws = await api.workspace();
    const { ref } = await seedBasics(api.call, ws);
    const token = ws.memberToken;
    const past = (await api.call('POST', '/v1/periods', { token, body: PAST_PERIOD })).body;
    const old = (await api.call('POST', '/v1/objectives', { token, body: { title: 'Old goal', periodId: past.id } }))
      .body;
    // Linking now to a past-period objective is refused...
    const refused = await api.call('POST', '/v1/links', { token, body: { ref, objectiveId: old.id } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues[0].path).toBe('body.objectiveId');
    // ...but a link made while it was current turns stale when the period ends.
    const saved = clock;
    clock = new Date('2026-09-15T12:00:00Z');
    expect((await api.call('POST', '/v1/links', { token, body: { ref, objectiveId: old.id } })).status).toBe(201);
    clock = saved;
    const ctx = await api.call('GET', `/v1/work-items/${enc(ref)}/context`, { token });
    expect(ctx.body.verdict).toBe('stale');
    expect(ctx.body.links[0].stale).toBe('past_period');
  });
});

describe('links', () => {
  test('the same link twice makes one link (200 the second time)', async () => {
    const ws = await api.workspace();
    const { objective, ref } = await seedBasics(api.call, ws);
    const token = ws.memberToken;
    const first = await api.call('POST', '/v1/links', { token, body: { ref, objectiveId: objective.id } });
    const second = await api.call('POST', '/v1/links', { token, body: { ref, objectiveId: objective.id } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const all = await api.call('GET', `/v1/links?ref=${enc(ref)}&state=all`, { token });
    expect(all.body.links).toHaveLength(1);
  });

  test('an Idempotency-Key replays the first answer, even after the link ended; reuse for another link is refused (422)', async () => {
    const ws = await api.workspace();
    const { objective, ref, period } = await seedBasics(api.call, ws);
    const token = ws.memberToken;
    const headers = { 'idempotency-key': 'offline-queue-1' };
    const first = await api.call('POST', '/v1/links', { token, headers, body: { ref, objectiveId: objective.id } });
    await api.call('DELETE', `/v1/links/${first.body.id}`, { token });
    const retry = await api.call('POST', '/v1/links', { token, headers, body: { ref, objectiveId: objective.id } });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    const other = (await api.call('POST', '/v1/objectives', { token, body: { title: 'Other', periodId: period.id } }))
      .body;
    const misuse = await api.call('POST', '/v1/links', { token, headers, body: { ref, objectiveId: other.id } });
    expect(misuse.status).toBe(422);
    expect(misuse.body.error).toMatchObject({ code: 'unprocessable', issues: [{ path: 'header.idempotency-key' }] });
    const all = await api.call('GET', `/v1/links?ref=${enc(ref)}&state=all`, { token });
    expect(all.body.links).toHaveLength(1);
  });

  test('an Idempotency-Key reused with another weight or key result is refused (422); an identical retry replays', async () => {
    const ws = await api.workspace();
    const { objective, ref } = await seedBasics(api.call, ws);
    const token = ws.memberToken;
    const krId: string = objective.keyResults[0].id;
    const headers = { 'idempotency-key': 'payload-1' };
    const body = { ref, objectiveId: objective.id, weight: 2 };
    const first = await api.call('POST', '/v1/links', { token, headers, body });
    expect(first.status).toBe(201);
    for (const changed of [
      { ...body, weight: 3 },
      { ...body, weight: null },
      { ...body, keyResultId: krId },
    ]) {
      const misuse = await api.call('POST', '/v1/links', { token, headers, body: changed });
      expect(misuse.status).toBe(422);
      expect(misuse.body.error.message).toContain('Idempotency-Key');
    }
    const retry = await api.call('POST', '/v1/links', { token, headers, body });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id: first.body.id, weight: 2, keyResultId: null });

    // A key first used on a link that already existed (made without a key, with another weight):
    // the key stands for the request it came with, not for the link's own weight.
    const ref2 = 'github:github.com/acme/payments#43';
    const plain = await api.call('POST', '/v1/links', { token, body: { ref: ref2, objectiveId: objective.id } });
    expect(plain.status).toBe(201);
    const keyed = { 'idempotency-key': 'payload-2' };
    const attached = await api.call('POST', '/v1/links', {
      token,
      headers: keyed,
      body: { ref: ref2, objectiveId: objective.id, weight: 5 },
    });
    expect(attached).toMatchObject({ status: 200, body: { id: plain.body.id, weight: null } });
    const again = await api.call('POST', '/v1/links', {
      token,
      headers: keyed,
      body: { ref: ref2, objectiveId: objective.id, weight: 5 },
    });
    expect(again).toMatchObject({ status: 200, body: { id: plain.body.id } });
    const other = await api.call('POST', '/v1/links', {
      token,
      headers: keyed,
      body: { ref: ref2, objectiveId: objective.id },
    });
    expect(other.status).toBe(422);
    const all = await api.call('GET', `/v1/links?objectiveId=${objective.id}&state=all`, { token });
    expect(all.body.links).toHaveLength(2);
  });

  test('concurrent identical requests make exactly one link', async () => {
    const ws = await api.workspace();
    const { objective, ref } = await seedBasics(api.call, ws);
    const token = ws.memberToken;
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        api.call('POST', '/v1/links', {
          token,
          headers: { 'idempotency-key': 'same' },
          body: { ref, objectiveId: objective.id },
        }),
      ),
    );
    expect(results.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
  });

  test('ending a link keeps it in the history; relinking makes a new live link', async () => {
    const ws = await api.workspace();
    const { objective, ref } = await seedBasics(api.call, ws);
    const token = ws.memberToken;
    const link = (await api.call('POST', '/v1/links', { token, body: { ref, objectiveId: objective.id } })).body;
    tick();
    const ended = await api.call('DELETE', `/v1/links/${link.id}`, { token: ws.adminToken });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ id: link.id, endedAt: clock.toISOString(), endedBy: { id: ws.adminId } });
    const again = await api.call('DELETE', `/v1/links/${link.id}`, { token });
    expect(again.body.endedAt).toBe(ended.body.endedAt);

    const ctx = await api.call('GET', `/v1/work-items/${enc(ref)}/context`, { token });
    expect(ctx.body.verdict).toBe('unaligned');
    tick();
    const relinked = await api.call('POST', '/v1/links', { token, body: { ref, objectiveId: objective.id } });
    expect(relinked.status).toBe(201);
    expect(relinked.body.id).not.toBe(link.id);

    const history = await api.call('GET', `/v1/links?ref=${enc(ref)}&state=all`, { token });
    expect(history.body.links.map((l: { id: string; endedAt: string | null }) => [l.id, l.endedAt !== null])).toEqual([
      [link.id, true],
      [relinked.body.id, false],
    ]);
    expect((await api.call('GET', `/v1/links?ref=${enc(ref)}&state=ended`, { token })).body.links).toHaveLength(1);
    expect((await api.call('GET', `/v1/links?objectiveId=${objective.id}`, { token })).body.links).toHaveLength(1);
  });

  test('a ticket may serve several objectives; a key result must belong to its objective', async () => {
    const ws = await api.workspace();
    const { objective, ref, period } = await seedBasics(api.call, ws);
    const token = ws.memberToken;
    const other = (await api.call('POST', '/v1/objectives', { token, body: { title: 'Other', periodId: period.id } }))
      .body;
    await api.call('POST', '/v1/links', { token, body: { ref, objectiveId: objective.id, weight: 2 } });
    await api.call('POST', '/v1/links', { token, body: { ref, objectiveId: other.id } });
    const ctx = await api.call('GET', `/v1/work-items/${enc(ref)}/context`, { token });
    expect(ctx.body.links).toHaveLength(2);
    const wrongKr = await api.call('POST', '/v1/links', {
      token,
      body: { ref, objectiveId: other.id, keyResultId: objective.keyResults[0].id },
    });
    expect(wrongKr.status).toBe(422);
    expect(wrongKr.body.error.issues[0].path).toBe('body.keyResultId');
  });

  test('linking a ticket no page has recorded yet creates it from its reference', async () => {
    const ws = await api.workspace();
    const { objective } = await seedBasics(api.call, ws);
    const ref = 'github:ghe.acme.internal:8443/platform/infra#9';
    const res = await api.call('POST', '/v1/links', {
      token: ws.memberToken,
      body: { ref, objectiveId: objective.id },
    });
    expect(res.status).toBe(201);
    const ctx = await api.call('GET', `/v1/work-items/${enc(ref)}/context`, { token: ws.memberToken });
    expect(ctx.body.item).toMatchObject({
      host: 'ghe.acme.internal:8443',
      key: 'platform/infra#9',
      project: 'platform/infra',
    });
    expect(ctx.body.verdict).toBe('aligned');
  });
});

test('a key first used on an existing link keeps answering for it after the link ends', async () => {
  const ws = await api.workspace();
  const { objective, ref } = await seedBasics(api.call, ws);
  const token = ws.memberToken;
  const existing = (await api.call('POST', '/v1/links', { token, body: { ref, objectiveId: objective.id } })).body;
  const headers = { 'idempotency-key': 'queued-on-a-laptop' };
  const first = await api.call('POST', '/v1/links', { token, headers, body: { ref, objectiveId: objective.id } });
  expect(first.body.id).toBe(existing.id);
  await api.call('DELETE', `/v1/links/${existing.id}`, { token: ws.adminToken });
  const retry = await api.call('POST', '/v1/links', { token, headers, body: { ref, objectiveId: objective.id } });
  expect(retry.status).toBe(200);
  expect(retry.body.id).toBe(existing.id);
  expect((await api.call('GET', `/v1/links?ref=${enc(ref)}&state=live`, { token })).body.links).toEqual([]);
});
