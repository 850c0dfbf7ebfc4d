/**
 * Two API processes on one database, as behind a load balancer: each caches token lookups,
 * objectives and ticket contexts, and a write through one must reach the other's next reads.
 */
import { sql } from 'drizzle-orm';
import { expect, test, vi } from 'vitest';
import { enc, setupApi } from '../support/api';
import { seedBasics } from '../support/fixtures';

const first = setupApi();
const second = setupApi();

const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 3_000, interval: 50 });

test('a link made through one process shows in the other’s cached context', async () => {
  const ws = await first.workspace();
  const { objective, ref } = await seedBasics(first.call, ws);
  const path = `/v1/work-items/${enc(ref)}/context`;
  expect((await second.call('GET', path, { token: ws.memberToken })).body.verdict).toBe('unaligned');
  const link = await first.call('POST', '/v1/links', {
    token: ws.memberToken,
    body: { ref, objectiveId: objective.id },
  });
  await eventually(async () => {
    expect((await second.call('GET', path, { token: ws.memberToken })).body.verdict).toBe('aligned');
  });
  await first.call('DELETE', `/v1/links/${link.body.id}`, { token: ws.memberToken });
  await eventually(async () => {
    expect((await second.call('GET', path, { token: ws.memberToken })).body.verdict).toBe('unaligned');
  });
});

test('an objective closed through one process turns the other’s cached verdict stale', async () => {
  const ws = await first.workspace();
  const { objective, ref } = await seedBasics(first.call, ws);
  await first.call('POST', '/v1/links', { token: ws.memberToken, body: { ref, objectiveId: objective.id } });
  const path = `/v1/work-items/${enc(ref)}/context`;
  expect((await second.call('GET', path, { token: ws.memberToken })).body.verdict).toBe('aligned');
  await first.call('PATCH', `/v1/objectives/${objective.id}`, { token: ws.memberToken, body: { status: 'missed' } });
  await eventually(async () => {
    expect((await second.call('GET', path, { token: ws.memberToken })).body.verdict).toBe('stale');
  });
  // And the other process refuses new links to it.
  await eventually(async () => {
    const res = await second.call('POST', '/v1/links', {
      token: ws.memberToken,
      body: { ref: 'jira:acme.atlassian.net/PAY-9', objectiveId: objective.id },
    });
    expect(res.status).toBe(422);
  });
});

test('a ticket recorded through one process shows its new title in the other', async () => {
  const ws = await first.workspace();
  const { ref } = await seedBasics(first.call, ws);
  const path = `/v1/work-items/${enc(ref)}/context`;
  expect((await second.call('GET', path, { token: ws.memberToken })).body.item.title).toBe(
    'Cache tax rates in checkout',
  );
  await first.call('PUT', `/v1/work-items/${enc(ref)}`, {
    token: ws.memberToken,
    body: { title: 'Renamed on the host' },
  });
  await eventually(async () => {
    expect((await second.call('GET', path, { token: ws.memberToken })).body.item.title).toBe('Renamed on the host');
  });
});

test('a token revoked through one process is refused by the other', async () => {
  const ws = await first.workspace();
  const token = (await first.call('POST', '/v1/tokens', { token: ws.memberToken, body: { name: 'laptop' } })).body;
  expect((await second.call('GET', '/v1/me', { token: token.token })).status).toBe(200);
  await first.call('DELETE', `/v1/tokens/${token.id}`, { token: ws.memberToken });
  await eventually(async () => {
    expect((await second.call('GET', '/v1/me', { token: token.token })).status).toBe(401);
  });
});

test('the caches are really in use: a change behind the API’s back is not seen until noticed', async () => {
  const ws = await first.workspace();
  // Recorded through the process under test, which skips its own notices: recorded through the
  // other, the notice could arrive after the first read below and empty the cache it checks.
  const { ref } = await seedBasics(second.call, ws);
  const path = `/v1/work-items/${enc(ref)}/context`;
  expect((await second.call('GET', path, { token: ws.memberToken })).body.item.title).toBe(
    'Cache tax rates in checkout',
  );
  await second.db.execute(
    sql`update work_items set title = 'changed behind its back' where ref = ${ref} and workspace_id = ${ws.id}`,
  );
  expect((await second.call('GET', path, { token: ws.memberToken })).body.item.title).toBe(
    'Cache tax rates in checkout',
  );
  await second.db.execute(sql`select pg_notify('throughline_work_item_changed', ${`test ${ws.id} ${ref}`})`);
  await eventually(async () => {
    expect((await second.call('GET', path, { token: ws.memberToken })).body.item.title).toBe('changed behind its back');
  });
});
